import ArgumentParser
import Foundation
import WFAClient

/// `wfa api-keys ...`: keys for integrations.
struct APIKeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "api-keys", abstract: "List, create and revoke API keys for integrations.",
        subcommands: [List.self, Create.self, Revoke.self])

    static func show(_ keys: [Components.Schemas.APIKey], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(keys) }
        ClientOutput.printTable(
            ["ID", "NAME", "PREFIX", "ROLE", "CREATED", "REVOKED"],
            keys.map { [$0.id, $0.name, $0.prefix, $0.roleId, "\($0.createdAt)", $0.revoked ? "yes" : ""] })
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List API keys, newest first (never the secrets).")
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().listApiKeys() {
            case .ok(let ok): try APIKeysCommand.show(try ok.body.json.data, as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Create an API key; its secret is printed this once.")
        @Option(help: "A name for the key (what uses it).") var name: String
        @Option(help: "Role id whose permissions the key gets.") var role: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().createApiKey(body: .json(.init(name: self.name, roleId: self.role))) {
            case .created(let created):
                let data = try created.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(data) }
                print("API key \(data.apiKey.id) (\(data.apiKey.name), role \(data.apiKey.roleId)):")
                print(data.key)
                print("Store it now: it is not shown again. Send it as the X-API-Key header.")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an API key.")
        @Argument(help: "Key id.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().revokeApiKey(path: .init(id: self.id)) {
            case .ok: print("Revoked API key \(self.id).")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
