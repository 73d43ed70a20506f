import ArgumentParser
import Foundation
import WFAClient

/// `wfa dead-letters ...`: what the pipeline gave up on, and sending it through again.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List messages the pipeline gave up on after every retry, and replay them.",
        discussion: "Fix the cause the REASON column gives (for example a full disk), then replay.",
        subcommands: [List.self, Replay.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List dead letters, oldest first.")
        @Option(help: "Most to list (1-1000).") var limit = 50
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().listDeadLetters(query: .init(limit: self.limit)) {
            case .ok(let ok):
                let letters = try ok.body.json.data
                if self.client.output == .json { return try ClientOutput.printJSON(letters) }
                ClientOutput.printTable(
                    ["SEQUENCE", "FAILED", "CONSUMER", "DELIVERIES", "SUBJECT", "REASON"],
                    letters.map {
                        [
                            "\($0.sequence)", GraphCommand.time($0.failedAt), $0.consumer, "\($0.deliveries)",
                            $0.subject, String($0.reason.prefix(80)),
                        ]
                    })
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Replay: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Publish a dead letter again on its original subject and remove it from the list.")
        @Argument(help: "The SEQUENCE that `wfa dead-letters list` shows.") var sequence: Int64
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().replayDeadLetter(path: .init(sequence: self.sequence)) {
            case .ok: print("replayed dead letter \(self.sequence)")
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
