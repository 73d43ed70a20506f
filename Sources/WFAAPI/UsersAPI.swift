import Foundation
import WFACore
import WFAStorage

extension APIHandler {
    public func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let principal = try self.principal()
        let request = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        guard (1...PageRequest.maximumLimit).contains(request.limit), request.offset >= 0 else {
            throw APIError.invalid("limit must be 1...\(PageRequest.maximumLimit) and offset at least 0")
        }
        let page = try await self.storage.directory.users(in: principal.orgID, page: request)
        let data = Components.Schemas.UserPage(
            items: page.items.map(Components.Schemas.User.init), total: page.total, limit: page.limit,
            offset: page.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        let principal = try self.principal()
        guard case .json(let request) = input.body else { throw APIError.invalid("expected a JSON body") }
        let email = request.email.trimmingCharacters(in: .whitespaces).lowercased()
        guard Self.isPlausibleEmail(email) else { throw APIError.invalid("email is not an address") }
        guard request.password.count >= 12 else { throw APIError.invalid("passwords need at least 12 characters") }
        guard try await self.storage.directory.role(Role.ID(request.roleId), in: principal.orgID) != nil else {
            throw APIError.invalid("no role \(request.roleId) in this org")
        }
        let user = User(
            orgID: principal.orgID, email: email, displayName: request.displayName, roleID: Role.ID(request.roleId),
            passwordHash: try self.hasher.hash(request.password))
        try await self.storage.directory.save(user)
        return .created(.init(body: .json(.init(success: true, message: "created", data: .init(user)))))
    }

    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !email.contains(" ")
            && email.count <= 320
    }
}
