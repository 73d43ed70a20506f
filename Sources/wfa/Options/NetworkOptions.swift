import ArgumentParser
import Foundation
import WFACore
import WFAGraph

/// What the graph knows about the org's own networks: which addresses are internal, which assets
/// are managed.
struct NetworkOptions: ParsableArguments {
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
