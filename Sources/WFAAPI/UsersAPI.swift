import Foundation
import HTTPTypes
import WFACore
import WFAStorage

extension APIHandler {
    public func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let principal = try self.principal()
        let request = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(request)
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
            throw APIError(.notFound, code: "role.not_found", "no role \(request.roleId) in this org")
        }
        let user = User(
            orgID: principal.orgID, email: email, displayName: request.displayName, roleID: Role.ID(request.roleId),
            passwordHash: try self.hasher.hash(request.password))
        try await self.storage.directory.save(user)
        return .created(.init(body: .json(.init(success: true, message: "created", data: .init(user)))))
    }

    /// Paging bounds of the document (`limit` 1...1000, `offset` 0...1,000,000,000).
    static func validate(_ page: PageRequest) throws {
        guard (1...PageRequest.maximumLimit).contains(page.limit), (0...1_000_000_000).contains(page.offset) else {
            throw APIError.invalid("limit must be 1...\(PageRequest.maximumLimit) and offset 0...1000000000")
        }
    }

    /// A local part and a domain around the last `@` (RFC 5322 allows `@` inside a quoted local part);
    /// deliverability is the mail system's business, not ours.
    static func isPlausibleEmail(_ email: String) -> Bool {
        guard let at = email.lastIndex(of: "@") else { return false }
        return at != email.startIndex && email.index(after: at) != email.endIndex && email.utf8.count <= 320
    }
}
