import Crypto
public import Foundation
public import HTTPTypes
import WFACore
public import WFAStorage

/// Turns the credentials on a request into a ``Principal``, checking them against storage on every
/// request, so a disabled user or a revoked key loses access at once, not when a token expires.
public struct Authenticator: Sendable {
    let directory: any DirectoryStore
    let signer: TokenSigner

    public init(directory: any DirectoryStore, signer: TokenSigner) {
        self.directory = directory
        self.signer = signer
    }

    static let apiKeyField = HTTPField.Name("X-API-Key")

    /// - Returns: nil when the request carries no credentials.
    /// - Throws: ``APIError`` 401 when it carries credentials that are not valid.
    public func principal(for request: HTTPRequest, now: Date = Date()) async throws -> Principal? {
        if let authorization = request.headerFields[.authorization] {
            guard authorization.lowercased().hasPrefix("bearer ") else {
                throw APIError.unauthenticated("the bearer token is invalid or expired")
            }
            return try await self.principal(
                bearer: String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces), now: now)
        }
        if let field = Self.apiKeyField, let key = request.headerFields[field] {
            guard let stored = try await self.directory.apiKey(secretHash: Self.hash(apiKey: key)), !stored.isRevoked
            else { throw APIError.unauthenticated("the API key is invalid or revoked") }
            let role = try await self.directory.role(stored.roleID, in: stored.orgID)
            return Principal(
                credential: .apiKey(stored.id), orgID: stored.orgID, roleID: stored.roleID,
                permissions: role?.permissions ?? [])
        }
        return nil
    }

    /// The signed-in user a token stands for (also how `/ws` checks the token a browser passes in
    /// its URL).
    /// - Throws: ``APIError`` 401 when the token is not valid, expired, or its user disabled or gone.
    public func principal(bearer token: String, now: Date = Date()) async throws -> Principal {
        guard let claims = self.signer.verify(token, now: now) else {
            throw APIError.unauthenticated("the bearer token is invalid or expired")
        }
        let org = Org.ID(claims.orgID)
        guard let user = try await self.directory.user(User.ID(claims.sub), in: org), !user.disabled else {
            throw APIError.unauthenticated("the account is disabled or gone")
        }
        let role = try await self.directory.role(user.roleID, in: org)
        return Principal(
            credential: .user(user.id), orgID: org, roleID: user.roleID, permissions: role?.permissions ?? [])
    }

    /// How API keys are stored: SHA-256, hex. Keys are 256-bit random, so a fast hash is enough.
    public static func hash(apiKey: String) -> String {
        "sha256:" + SHA256.hash(data: Data(apiKey.utf8)).hexadecimal
    }
}
