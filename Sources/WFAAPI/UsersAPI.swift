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
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
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

extension APIHandler {
    private func existingUser(_ id: String, in org: Org.ID) async throws -> User {
        guard let user = try await self.storage.directory.user(User.ID(id), in: org) else {
            throw StorageError(.notFound, "user not found")
        }
        return user
    }

    public func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        let user = try await self.existingUser(try validatedID(input.path.id), in: try self.principal().orgID)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: .init(user)))))
    }

    public func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        var user = try await self.existingUser(try validatedID(input.path.id), in: principal.orgID)
        if let name = request.displayName { user.displayName = name }
        if let roleID = request.roleId, roleID != user.roleID.rawValue {
            // Nobody can lock themselves out by demoting their own account.
            if case .user(user.id) = principal.credential {
                throw StorageError(.conflict, "you cannot change your own role")
            }
            guard try await self.storage.directory.role(Role.ID(roleID), in: principal.orgID) != nil else {
                throw APIError(.notFound, code: "role.not_found", "no role \(roleID) in this org")
            }
            user.roleID = Role.ID(roleID)
        }
        if let disabled = request.disabled {
            if disabled, case .user(user.id) = principal.credential {
                throw APIError.invalid("you cannot disable your own account")
            }
            user.disabled = disabled
        }
        user.updatedAt = Date()
        try await self.storage.directory.save(user)
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: .init(user)))))
    }

    public func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        let principal = try self.principal()
        let target = User.ID(try validatedID(input.path.id))
        if case .user(target) = principal.credential {
            throw StorageError(.conflict, "you cannot delete your own account")
        }
        guard try await self.storage.directory.deleteUser(target, in: principal.orgID) else {
            throw StorageError(.notFound, "user not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    public func setUserPassword(_ input: Operations.SetUserPassword.Input) async throws
        -> Operations.SetUserPassword.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        let target = User.ID(try validatedID(input.path.id))
        var isSelf = false
        if case .user(target) = principal.credential { isSelf = true }
        guard isSelf || principal.holds(Permission(.settings, .manage)) else {
            throw APIError.forbidden("changing another user's password requires settings:manage")
        }
        var user = try await self.existingUser(target.rawValue, in: principal.orgID)
        if isSelf {
            guard let current = request.currentPassword, self.hasher.verify(current, against: user.passwordHash) else {
                throw APIError.forbidden("the current password is wrong")
            }
        }
        guard request.newPassword.count >= 12 else { throw APIError.invalid("passwords need at least 12 characters") }
        user.passwordHash = try self.hasher.hash(request.newPassword)
        user.updatedAt = Date()
        try await self.storage.directory.save(user)
        return .ok(.init(body: .json(.init(success: true, message: "password changed"))))
    }
}
