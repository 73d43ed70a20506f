public import Foundation

/// How two nodes are related.
public struct EdgeType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { self.rawValue }

    public static let communicatesWith: Self = "communicates_with"
    public static let resolvedTo: Self = "resolved_to"
    public static let authenticatedAs: Self = "authenticated_as"
    public static let accessed: Self = "accessed"
    public static let sentEmailTo: Self = "sent_email_to"
    public static let contains: Self = "contains"
    public static let relatedTo: Self = "related_to"
}

/// A directed relation between two nodes, with what was seen over the retention window.
public struct Edge: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Edge>

    public var id: ID
    public var orgID: Org.ID
    public var sourceID: Node.ID
    public var targetID: Node.ID
    public var type: EdgeType
    public var firstSeen: Date
    public var lastSeen: Date
    public var artifactCount: Int64
    public var bytes: Int64

    public init(
        id: ID,
        orgID: Org.ID,
        sourceID: Node.ID,
        targetID: Node.ID,
        type: EdgeType,
        firstSeen: Date,
        lastSeen: Date,
        artifactCount: Int64 = 0,
        bytes: Int64 = 0
    ) {
        self.id = id
        self.orgID = orgID
        self.sourceID = sourceID
        self.targetID = targetID
        self.type = type
        self.firstSeen = EpochMicroseconds.normalize(firstSeen)
        self.lastSeen = EpochMicroseconds.normalize(lastSeen)
        self.artifactCount = artifactCount
        self.bytes = bytes
    }

    enum CodingKeys: String, CodingKey {
        case id, type, bytes
        case orgID = "org_id"
        case sourceID = "source_id"
        case targetID = "target_id"
        case firstSeen = "first_seen"
        case lastSeen = "last_seen"
        case artifactCount = "artifact_count"
    }
}
