public import Foundation

/// An entity of the knowledge graph: an address, host, domain, user, email, hash or URL.
public struct Node: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Node>

    public var id: ID
    public var orgID: Org.ID
    public var type: NodeType
    /// The canonical value (lower-case host, RFC 5952 IPv6, ...).
    public var value: String
    public var flags: NodeFlags
    /// Compliance frameworks the node is in scope for.
    public var frameworks: [String]
    public var firstSeen: Date
    public var lastSeen: Date
    public var artifactCount: Int64
    public var edgeCount: Int64

    public init(
        id: ID,
        orgID: Org.ID,
        type: NodeType,
        value: String,
        flags: NodeFlags = NodeFlags(),
        frameworks: [String] = [],
        firstSeen: Date,
        lastSeen: Date,
        artifactCount: Int64 = 0,
        edgeCount: Int64 = 0
    ) {
        self.id = id
        self.orgID = orgID
        self.type = type
        self.value = value
        self.flags = flags
        self.frameworks = frameworks
        self.firstSeen = EpochMicroseconds.normalize(firstSeen)
        self.lastSeen = EpochMicroseconds.normalize(lastSeen)
        self.artifactCount = artifactCount
        self.edgeCount = edgeCount
    }

    enum CodingKeys: String, CodingKey {
        case id, type, value, flags, frameworks
        case orgID = "org_id"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case artifactCount = "artifact_count"
        case edgeCount = "edge_count"
    }
}

/// What an analyst or the asset list says about a node.
public struct NodeFlags: Sendable, Codable, Hashable {
    /// On an asset list the org manages.
    public var managed: Bool
    /// Inside the org's networks (RFC 1918 and ULA by default).
    public var `internal`: Bool
    /// Known good; lowers suspicion.
    public var trusted: Bool
    /// DNS servers, gateways, scanners: talk to everything, so they must not glue incidents together.
    public var infrastructure: Bool

    public init(managed: Bool = false, internal: Bool = false, trusted: Bool = false, infrastructure: Bool = false) {
        self.managed = managed
        self.internal = `internal`
        self.trusted = trusted
        self.infrastructure = infrastructure
    }
}
