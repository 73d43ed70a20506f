import HTTPTypes
import WFACore
import WFAStorage

extension APIHandler {
    public func listRoles(_ input: Operations.ListRoles.Input) async throws -> Operations.ListRoles.Output {
        let roles = try await self.storage.directory.roles(in: try self.principal().orgID)
        return .ok(
            .init(body: .json(.init(success: true, message: "ok", data: roles.map(Components.Schemas.Role.init)))))
    }

    public func createRole(_ input: Operations.CreateRole.Input) async throws -> Operations.CreateRole.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        let role = Role(
            id: .random(), orgID: principal.orgID, name: request.name, description: request.description ?? "",
            permissions: Self.permissions(request.permissions))
        try await self.storage.directory.save(role)
        return .created(.init(body: .json(.init(success: true, message: "created", data: .init(role)))))
    }

    public func updateRole(_ input: Operations.UpdateRole.Input) async throws -> Operations.UpdateRole.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let request = try body.validated()
        let id = Role.ID(try validatedID(input.path.id))
        guard let existing = try await self.storage.directory.role(id, in: principal.orgID) else {
            throw StorageError(.notFound, "role not found")
        }
        guard !existing.isBuiltIn else { throw StorageError(.conflict, "built-in roles cannot be changed") }
        let role = Role(
            id: id, orgID: principal.orgID, name: request.name, description: request.description ?? "",
            permissions: Self.permissions(request.permissions))
        try await self.storage.directory.save(role)
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: .init(role)))))
    }

    public func deleteRole(_ input: Operations.DeleteRole.Input) async throws -> Operations.DeleteRole.Output {
        let principal = try self.principal()
        let id = Role.ID(try validatedID(input.path.id))
        guard let existing = try await self.storage.directory.role(id, in: principal.orgID) else {
            throw StorageError(.notFound, "role not found")
        }
        guard !existing.isBuiltIn else { throw StorageError(.conflict, "built-in roles cannot be deleted") }
        guard try await !self.roleIsHeld(id, in: principal.orgID) else {
            throw StorageError(.conflict, "the role is held by users or API keys; reassign them first")
        }
        _ = try await self.storage.directory.deleteRole(id, in: principal.orgID)
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    private func roleIsHeld(_ id: Role.ID, in org: Org.ID) async throws -> Bool {
        if try await self.storage.directory.apiKeys(in: org).contains(where: { $0.roleID == id && !$0.isRevoked }) {
            return true
        }
        var offset = 0
        while true {
            let page = try await self.storage.directory.users(in: org, page: PageRequest(limit: 1_000, offset: offset))
            if page.items.contains(where: { $0.roleID == id }) { return true }
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return false }
        }
    }

    static func permissions(_ values: [Components.Schemas.Permission]) -> Set<Permission> {
        Set(values.compactMap { Permission($0.rawValue) })
    }
}
