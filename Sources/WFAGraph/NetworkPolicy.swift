import Foundation
public import WFACore

/// What an org says about its own estate: which addresses are internal, and which assets it
/// manages. New graph nodes take their `internal` and `managed` flags from it.
public struct NetworkPolicy: Sendable, Hashable {
    public var internalNetworks: [IPNetwork]
    /// Managed addresses, as networks (a single address is a /32 or /128).
    public var managedNetworks: [IPNetwork]
    /// Managed host, domain and user names, lower-cased.
    public var managedNames: Set<String>

    public init(
        internalNetworks: [IPNetwork] = IPNetwork.privateNetworks, managedNetworks: [IPNetwork] = [],
        managedNames: Set<String> = []
    ) {
        self.internalNetworks = internalNetworks
        self.managedNetworks = managedNetworks
        self.managedNames = Set(managedNames.map { $0.lowercased() })
    }

    /// Reads an asset list: one address, CIDR block or host name per line; `#` starts a comment.
    /// - Throws: ``AssetListError`` naming the first line that is neither.
    public static func assets(fromList text: String) throws -> (networks: [IPNetwork], names: Set<String>) {
        var networks: [IPNetwork] = []
        var names: Set<String> = []
        for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let entry = line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)[0]
                .trimmingCharacters(in: .whitespaces)
            guard !entry.isEmpty else { continue }
            if let network = IPNetwork(entry) {
                networks.append(network)
            } else if Self.isHostName(entry), let name = HostName(String(entry)) {
                names.insert(name.rawValue)
            } else {
                throw AssetListError(line: index + 1, entry: entry)
            }
        }
        return (networks, names)
    }

    /// Letters, digits, `-`, `_` and dots, with at least one letter: a name, not a mistyped address.
    static func isHostName(_ text: some StringProtocol) -> Bool {
        !text.isEmpty && text.utf8.count <= 253 && text.contains(where: \.isLetter)
            && text.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".") }
    }

    /// The flags a node for `entity` starts with.
    public func flags(for entity: EntityKey) -> NodeFlags {
        var flags = NodeFlags()
        switch entity.type {
        case .ip:
            guard let address = IPAddress(entity.value) else { return flags }
            flags.internal = self.internalNetworks.contains { $0.contains(address) }
            flags.managed = self.managedNetworks.contains { $0.contains(address) }
        case .host, .domain, .user:
            flags.managed = self.managedNames.contains(entity.value.lowercased())
            flags.internal = flags.managed
        default:
            break
        }
        return flags
    }
}

/// An asset list line that is neither an address, a CIDR block nor a host name.
public struct AssetListError: Error, CustomStringConvertible, Sendable {
    public var line: Int
    public var entry: String

    public var description: String {
        "asset list line \(self.line): '\(self.entry)' is not an IP address, CIDR block or host name"
    }
}
