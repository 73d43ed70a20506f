import ArgumentParser
import Foundation
import WFAClient

/// `wfa users ...`: manage the users of your org.
struct UsersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "users", abstract: "List, create, change and delete users of your org.",
        subcommands: [List.self, Get.self, Create.self, Update.self, Delete.self, SetPassword.self])

    static func show(_ users: [Components.Schemas.User], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(users) }
        ClientOutput.printTable(
            ["ID", "EMAIL", "NAME", "ROLE", "DISABLED"],
            users.map { [$0.id, $0.email, $0.displayName, $0.roleId, $0.disabled ? "yes" : ""] })
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List users, by email.")
        @Option(help: "Page size (1-1000).") var limit = 50
        @Option(help: "Users to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().listUsers(query: .init(limit: self.limit, offset: self.offset)) {
            case .ok(let ok):
                let page = try ok.body.json.data
                try UsersCommand.show(page.items, as: self.client.output)
                if self.client.output == .table { print("(\(page.items.count) of \(page.total))") }
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one user.")
        @Argument(help: "User id.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getUser(path: .init(id: self.id)) {
            case .ok(let ok): try UsersCommand.show([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create a user.")
        @Option(help: "Email (the sign-in name).") var email: String
        @Option(help: "Display name.") var name: String
        @Option(help: "Role id (see `wfa roles list`).") var role: String
        @Option(help: "Initial password, 12+ characters (env WFA_NEW_PASSWORD).") var password: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard let password = self.password ?? ProcessInfo.processInfo.environment["WFA_NEW_PASSWORD"] else {
                throw CommandError(description: "give the initial password with --password or WFA_NEW_PASSWORD")
            }
            let body = Components.Schemas.CreateUserRequest(
                email: self.email, displayName: self.name, roleId: self.role, password: password)
            switch try await self.client.client().createUser(body: .json(body)) {
            case .created(let created): try UsersCommand.show([try created.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Change a user's name, role or disabled flag (role assignment).")
        @Argument(help: "User id.") var id: String
        @Option(help: "New display name.") var name: String?
        @Option(help: "New role id.") var role: String?
        @Option(help: "true disables the account (its access ends at once), false enables it.") var disabled: Bool?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let body = Components.Schemas.UpdateUserRequest(
                displayName: self.name, roleId: self.role, disabled: self.disabled)
            switch try await self.client.client().updateUser(path: .init(id: self.id), body: .json(body)) {
            case .ok(let ok): try UsersCommand.show([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Delete: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete a user.")
        @Argument(help: "User id.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().deleteUser(path: .init(id: self.id)) {
            case .ok: print("Deleted user \(self.id).")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct SetPassword: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "set-password",
            abstract: "Change a password (yours needs --current; others' need settings:manage).")
        @Argument(help: "User id.") var id: String
        @Option(help: "Your current password, when changing your own.") var current: String?
        @Option(help: "The new password, 12+ characters (env WFA_NEW_PASSWORD).") var new: String?
        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard let newPassword = self.new ?? ProcessInfo.processInfo.environment["WFA_NEW_PASSWORD"] else {
                throw CommandError(description: "give the new password with --new or WFA_NEW_PASSWORD")
            }
            let body = Components.Schemas.SetPasswordRequest(currentPassword: self.current, newPassword: newPassword)
            switch try await self.client.client().setUserPassword(path: .init(id: self.id), body: .json(body)) {
            case .ok: print("Password changed.")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
