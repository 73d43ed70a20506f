import ArgumentParser
import Foundation
import Logging
import WFACore
import WFAMessaging

/// Which roles this process runs, and the bus between them.
struct PipelineOptions: ParsableArguments {
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case all
        case api
        case artifactIngestion = "artifact-ingestion"
        case graphProcessor = "graph-processor"
        case incidentEngine = "incident-engine"
        case dispatcher
    }

    @Option(
        help: ArgumentHelp(
            "Role to run: all (every role in this process), api, artifact-ingestion, graph-processor, incident-engine or dispatcher (env WFA_ROLE).",
            discussion: "Every role but 'all' needs --nats-url: split roles talk over NATS JetStream."))
    var role: Role?

    @Option(
        help:
            "NATS server for the bus between roles, e.g. nats://127.0.0.1:4222 (env WFA_NATS_URL). Default with --role all: an in-process bus."
    )
    var natsURL: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var selectedRole: Role {
        get throws {
            if let role { return role }
            guard let text = self.environment["WFA_ROLE"] else { return .all }
            guard let role = Role(rawValue: text) else {
                throw ValidationError(
                    "WFA_ROLE '\(text)' is not a role; use one of \(Role.allCases.map(\.rawValue).joined(separator: ", "))"
                )
            }
            return role
        }
    }

    var url: String? { self.natsURL ?? self.environment["WFA_NATS_URL"] }

    /// The bus: JetStream when a NATS URL is given, else (all roles in one process) in memory.
    func makeBus(logger: Logger) throws -> any Bus {
        let role = try self.selectedRole
        guard let url else {
            guard role == .all else {
                throw ValidationError(
                    "--role \(role.rawValue) needs --nats-url (or WFA_NATS_URL): split roles talk over NATS")
            }
            return InProcessBus()
        }
        return try JetStreamBus(
            configuration: .init(url: url, connectionName: "wfa-\(role.rawValue)"), logger: logger)
    }
}
