public import WFACore

/// A search over nodes. Backed in Cassandra by `nodes_by_type` (org, type; clustered by value),
/// which answers type + value prefix as a clustering range.
public struct NodeQuery: Sendable, Hashable {
    public var type: NodeType?
    /// Canonical values starting with this prefix (`10.1.`, `corp.example`).
    public var valuePrefix: String?
    /// Only nodes whose flags include every flag set here.
    public var requiredFlags: NodeFlags
    public var page: PageRequest

    public init(
        type: NodeType? = nil, valuePrefix: String? = nil, requiredFlags: NodeFlags = NodeFlags(),
        page: PageRequest = PageRequest()
    ) {
        self.type = type
        self.valuePrefix = valuePrefix
        self.requiredFlags = requiredFlags
        self.page = page
    }

    /// The reference semantics; results are ordered by (type, value).
    public func matches(_ node: Node) -> Bool {
        if let type, node.type != type { return false }
        if let valuePrefix, !node.value.hasPrefix(valuePrefix) { return false }
        let flags = self.requiredFlags
        if flags.managed, !node.flags.managed { return false }
        if flags.internal, !node.flags.internal { return false }
        if flags.trusted, !node.flags.trusted { return false }
        if flags.infrastructure, !node.flags.infrastructure { return false }
        return true
    }
}

/// A search over edges. Backed in Cassandra by `edges_out_by_day` and `edges_in_by_day`.
public struct EdgeQuery: Sendable, Hashable {
    public enum Direction: String, Sendable, Hashable, CaseIterable {
        case outgoing, incoming, both
    }

    /// Edges touching this node (required: the graph is always read from a node outwards).
    public var nodeID: Node.ID
    public var direction: Direction
    public var type: EdgeType?
    /// Edges seen (last seen) within this range.
    public var timeRange: TimeRange
    public var page: PageRequest

    public init(
        nodeID: Node.ID, direction: Direction = .both, type: EdgeType? = nil, timeRange: TimeRange = .all,
        page: PageRequest = PageRequest()
    ) {
        self.nodeID = nodeID
        self.direction = direction
        self.type = type
        self.timeRange = timeRange
        self.page = page
    }

    /// The reference semantics; results are ordered by last seen, newest first, then id.
    public func matches(_ edge: Edge) -> Bool {
        switch self.direction {
        case .outgoing: guard edge.sourceID == self.nodeID else { return false }
        case .incoming: guard edge.targetID == self.nodeID else { return false }
        case .both: guard edge.sourceID == self.nodeID || edge.targetID == self.nodeID else { return false }
        }
        if let type, edge.type != type { return false }
        return self.timeRange.contains(edge.lastSeen)
    }
}
