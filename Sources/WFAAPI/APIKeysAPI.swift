import Crypto
import Foundation
import WFACore
import WFAStorage

extension APIHandler {
    public func listApiKeys(_ input: Operations.ListApiKeys.Input) async throws -> Operations.ListApiKeys.Output {
        let keys = try await self.storage.directory.apiKeys(in: try self.principal().orgID)
        return .ok(
            .init(body: .json(.init(success: true, message: "ok", data: keys.map(Components.Schemas.APIKey.init)))))
    }

    public func createApiKey(_ input: Operations.CreateApiKey.Input) async throws -> Operations.CreateApiKey.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        guard try await self.storage.directory.role(Role.ID(request.roleId), in: principal.orgID) != nil else {
            throw StorageError(.notFound, "no role \(request.roleId) in this org")
        }
        // 256 random bits: guessing is hopeless, so a fast hash is a safe way to store it.
        let secret = "wfa_" + Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
        var createdBy: User.ID?
        if case .user(let id) = principal.credential { createdBy = id }
        let key = APIKey(
            orgID: principal.orgID, name: request.name, prefix: String(secret.prefix(12)),
            secretHash: Authenticator.hash(apiKey: secret), roleID: Role.ID(request.roleId), createdBy: createdBy)
        try await self.storage.directory.save(key)
        let created = Components.Schemas.CreatedAPIKey(key: secret, apiKey: .init(key))
        return .created(.init(body: .json(.init(success: true, message: "created", data: created))))
    }

    public func revokeApiKey(_ input: Operations.RevokeApiKey.Input) async throws -> Operations.RevokeApiKey.Output {
        let principal = try self.principal()
        guard
            try await self.storage.directory.revokeAPIKey(
                APIKey.ID(try validatedID(input.path.id)), in: principal.orgID, at: Date())
        else { throw StorageError(.notFound, "API key not found") }
        return .ok(.init(body: .json(.init(success: true, message: "revoked"))))
    }
}
