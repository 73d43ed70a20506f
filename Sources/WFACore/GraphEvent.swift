/// What the graph-processor publishes for each artifact it has stored and graphed: the artifact
/// with the nodes and edges it touched, so the incident engine can evaluate rules and correlate
/// without reading them back.
public struct GraphEvent: Sendable, Codable, Hashable {
    public var artifact: Artifact
    public var nodeIDs: [Node.ID]
    public var edgeIDs: [Edge.ID]

    public init(artifact: Artifact, nodeIDs: [Node.ID], edgeIDs: [Edge.ID]) {
        self.artifact = artifact
        self.nodeIDs = nodeIDs
        self.edgeIDs = edgeIDs
    }

    enum CodingKeys: String, CodingKey {
        case artifact
        case nodeIDs = "node_ids"
        case edgeIDs = "edge_ids"
    }
}
