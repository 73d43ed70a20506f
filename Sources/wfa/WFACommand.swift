import ArgumentParser
import Foundation
import OpenAPIRuntime

/// `wfa`: every role of the platform and the tools around it, in one executable.
@main
struct WFACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wfa",
        abstract: "wfa security analytics: ingest logs, build the knowledge graph, detect and work incidents.",
        discussion: """
            With no database configured, wfa runs a private PostgreSQL under its data directory \
            (first run: initdb; later runs: reuse). Pass --database postgres://... to use your own server.
            """,
        version: WFAVersion.current,
        subcommands: [
            ServeCommand.self, LoginCommand.self, StatusCommand.self, UsersCommand.self, RolesCommand.self,
            APIKeysCommand.self, ImportCommand.self, ArtifactsCommand.self, GraphCommand.self, IncidentsCommand.self,
            WorkUnitsCommand.self, ObservationsCommand.self, RulesCommand.self,
            DeadLettersCommand.self,
            ParseCommand.self,
            DatabaseCommand.self, BenchCommand.self,
        ]
    )

    /// Runs the chosen command; a client that cannot reach its server says so plainly.
    static func main() async {
        do {
            var command = try parseAsRoot()
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch let error as ClientError {
            let server = error.baseURL?.absoluteString ?? "the server"
            guard let network = error.underlyingError as? URLError else {
                exit(
                    withError: CommandError(
                        description: "the answer of \(server) could not be read: \(error.causeDescription)"))
            }
            exit(
                withError: CommandError(
                    description: "cannot reach \(server) (\(network.localizedDescription)); "
                        + "is `wfa serve` running there? Set the address with --server."))
        } catch {
            exit(withError: error)
        }
    }
}
