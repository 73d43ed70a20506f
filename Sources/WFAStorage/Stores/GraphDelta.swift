public import Foundation
public import WFACore

/// What one unit of work (usually one artifact) adds to the knowledge graph.
///
/// Applying deltas is idempotent by ``id``: the graph-processor may see an artifact twice after a
/// crash, and counts must still match a recomputation from the stored artifacts.
public struct GraphDelta: Sendable, Hashable {
    /// The idempotency key (for example the artifact id).
    public var id: String
    public var orgID: Org.ID
    public var nodes: [NodeObservation]
    public var edges: [EdgeObservation]

    public init(id: String, orgID: Org.ID, nodes: [NodeObservation], edges: [EdgeObservation]) {
        self.id = id
        self.orgID = orgID
        self.nodes = nodes
        self.edges = edges
    }
}

/// A node seen at a time: created on first sight, otherwise widened (first/last seen) and counted.
public struct NodeObservation: Sendable, Hashable {
    public var id: Node.ID
    public var type: NodeType
    public var value: String
    public var seenAt: Date
    /// Flags for a node created by this observation; an existing node keeps its own flags.
    public var initialFlags: NodeFlags
    /// Added to the node's artifact count.
    public var artifactCount: Int64

    public init(
        id: Node.ID, type: NodeType, value: String, seenAt: Date, initialFlags: NodeFlags = NodeFlags(),
        artifactCount: Int64 = 1
    ) {
        self.id = id
        self.type = type
        self.value = value
        self.seenAt = EpochMicroseconds.normalize(seenAt)
        self.initialFlags = initialFlags
        self.artifactCount = artifactCount
    }
}

/// An edge seen at a time, with what it carried.
public struct EdgeObservation: Sendable, Hashable {
    public var id: Edge.ID
    public var sourceID: Node.ID
    public var targetID: Node.ID
    public var type: EdgeType
    public var seenAt: Date
    public var artifactCount: Int64
    public var bytes: Int64

    public init(
        id: Edge.ID, sourceID: Node.ID, targetID: Node.ID, type: EdgeType, seenAt: Date, artifactCount: Int64 = 1,
        bytes: Int64 = 0
    ) {
        self.id = id
        self.sourceID = sourceID
        self.targetID = targetID
        self.type = type
        self.seenAt = EpochMicroseconds.normalize(seenAt)
        self.artifactCount = artifactCount
        self.bytes = bytes
    }
}
