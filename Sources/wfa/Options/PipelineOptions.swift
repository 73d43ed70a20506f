import ArgumentParser
import Foundation
import Logging
import WFACore
import WFAGraph
import WFAMessaging

/// Which roles this process runs, the bus between them, and what the graph knows about the org's
/// own networks.
struct PipelineOptions: ParsableArguments {
    enum Role: String, ExpressibleByArgument, CaseIterable {
        case all
        case api
        case artifactIngestion = "artifact-ingestion"
        case graphProcessor = "graph-processor"
    }

    @Option(
        help: ArgumentHelp(
            "Role to run: all (every role in this process), api, artifact-ingestion or graph-processor (env WFA_ROLE).",
            discussion: "Every role but 'all' needs --nats-url: split roles talk over NATS JetStream."))
    var role: Role?

    @Option(
        help:
            "NATS server for the bus between roles, e.g. nats://127.0.0.1:4222 (env WFA_NATS_URL). Default with --role all: an in-process bus."
    )
    var natsURL: String?

    @Option(
        help:
            "Comma-separated CIDR blocks whose addresses are internal (env WFA_INTERNAL_NETWORKS; default RFC 1918 and fc00::/7)."
    )
    var internalNetworks: String?

    @Option(
        help:
            "File listing managed assets, one address, CIDR block or host name per line (env WFA_ASSET_LIST)."
    )
    var assetList: String?

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

    func networkPolicy() throws -> NetworkPolicy {
        var policy = NetworkPolicy()
        if let text = self.internalNetworks ?? self.environment["WFA_INTERNAL_NETWORKS"] {
            policy.internalNetworks = try text.split(separator: ",").map { part in
                let entry = part.trimmingCharacters(in: .whitespaces)
                guard let network = IPNetwork(entry) else {
                    throw ValidationError("--internal-networks: '\(entry)' is not a CIDR block like 10.0.0.0/8")
                }
                return network
            }
        }
        if let path = self.assetList ?? self.environment["WFA_ASSET_LIST"] {
            let text: String
            do {
                text = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw ValidationError("cannot read the asset list \(path): \(error.localizedDescription)")
            }
            do {
                let assets = try NetworkPolicy.assets(fromList: text)
                policy.managedNetworks = assets.networks
                policy.managedNames = assets.names
            } catch let error as AssetListError {
                throw ValidationError("\(path): \(error)")
            }
        }
        return policy
    }
}
