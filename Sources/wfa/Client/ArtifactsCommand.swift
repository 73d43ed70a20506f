import ArgumentParser
import Foundation
import WFAClient

/// `wfa artifacts ...`: find the events wfa has stored.
struct ArtifactsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "artifacts", abstract: "Search stored artifacts (normalized events) and show one.",
        subcommands: [Search.self, Get.self])

    static func show(_ artifacts: [Components.Schemas.Artifact], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(artifacts) }
        ClientOutput.printTable(
            ["TIME", "TYPE", "CLIENT", "SERVER", "USER", "ID"],
            artifacts.map {
                [
                    GraphCommand.time($0.timestamp), $0.messageType,
                    GraphCommand.endpoint($0.clientIp ?? $0.clientHostname, $0.clientPort),
                    GraphCommand.endpoint($0.serverIp ?? $0.serverHostname, $0.serverPort), $0.userName ?? "", $0.id,
                ]
            })
    }

    struct Search: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Search artifacts, newest first.",
            discussion: "Example: wfa artifacts search --entity ip:203.0.113.9 --since 24h")
        @Option(help: "An entity the artifact names, as type:value (ip:10.0.0.5, user:root, domain:example.com).")
        var entity: String?
        @Option(help: "Text in the raw message (case-insensitive).") var text: String?
        @Option(help: "Message type, e.g. auth_failure.") var messageType: String?
        @Option(help: "Source, e.g. syslog-tcp:10.0.0.1.") var source: String?
        @Option(help: "Stream name.") var stream: String?
        @Option(help: "Only the last period: 30m, 24h, 7d.") var since: String?
        @Option(help: "Page size (1-1000).") var limit = 50
        @Option(help: "Artifacts to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let from = try self.since.map { Date().addingTimeInterval(-(try GraphCommand.seconds(in: $0))) }
            let query = Operations.SearchArtifacts.Input.Query(
                from: from, source: self.source, stream: self.stream, messageType: self.messageType,
                entity: self.entity, q: self.text, limit: self.limit, offset: self.offset)
            switch try await self.client.client().searchArtifacts(query: query) {
            case .ok(let ok):
                let page = try ok.body.json.data
                try ArtifactsCommand.show(page.items, as: self.client.output)
                if self.client.output == .table { print("(\(page.items.count) of \(page.total))") }
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Get: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one artifact with its raw message.")
        @Argument(help: "Artifact id.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getArtifact(path: .init(id: self.id)) {
            case .ok(let ok):
                let artifact = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(artifact) }
                try ArtifactsCommand.show([artifact], as: .table)
                print(artifact.rawText ?? "")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
