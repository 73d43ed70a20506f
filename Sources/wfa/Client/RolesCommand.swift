import ArgumentParser
import WFAClient

/// `wfa roles ...`: built-in and custom roles.
struct RolesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "roles", abstract: "List roles; create, change and delete custom roles.",
        subcommands: [List.self, Create.self, Update.self, Delete.self])

    static func show(_ roles: [Components.Schemas.Role], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(roles) }
        ClientOutput.printTable(
            ["ID", "NAME", "BUILT-IN", "PERMISSIONS"],
            roles.map {
                [$0.id, $0.name, $0.builtIn ? "yes" : "", $0.permissions.map(\.rawValue).joined(separator: " ")]
            })
    }

    static func permissions(_ values: [String]) throws -> [Components.Schemas.Permission] {
        try values.map { value in
            guard let permission = Components.Schemas.Permission(rawValue: value) else {
                let known = Components.Schemas.Permission.allCases.map(\.rawValue).joined(separator: ", ")
                throw CommandError(description: "unknown permission '\(value)'; known: \(known)")
            }
            return permission
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the built-in and custom roles.")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().listRoles() {
            case .ok(let ok): try RolesCommand.show(try ok.body.json.data, as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a custom role.")
        @OptionGroup var role: RoleOptions
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = try self.role.request()
            switch try await self.client.client().createRole(body: .json(body)) {
            case .created(let created): try RolesCommand.show([try created.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Replace a custom role's name, description and permissions.")
        @Argument(help: "Role id.") var id: String
        @OptionGroup var role: RoleOptions
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = try self.role.request()
            switch try await self.client.client().updateRole(path: .init(id: self.id), body: .json(body)) {
            case .ok(let ok): try RolesCommand.show([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a custom role nobody holds.")
        @Argument(help: "Role id.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().deleteRole(path: .init(id: self.id)) {
            case .ok: print("Deleted role \(self.id).")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}

/// The fields of a custom role, shared by `roles create` and `roles update`.
struct RoleOptions: ParsableArguments {
    @Option(help: "Role name.") var name: String
    @Option(help: "Description.") var description: String?
    @Option(name: .customLong("permission"), help: "A permission such as incidents:write (repeatable).")
    var permissions: [String] = []

    func request() throws -> Components.Schemas.RoleRequest {
        Components.Schemas.RoleRequest(
            name: self.name, description: self.description, permissions: try RolesCommand.permissions(self.permissions))
    }
}
