public import WFACore
public import WFAStorage

/// Recomputes the graph of an org from its stored artifacts and compares it with the stored
/// graph: the check that nothing was counted twice or lost after crashes and redeliveries.
public struct GraphAudit: Sendable {
    /// Node and edge artifact counts as the stored artifacts imply them.
    public struct Expected: Sendable {
        public var nodes: [Node.ID: Int64] = [:]
        public var edges: [Edge.ID: Int64] = [:]
        public var artifacts = 0

        public init() {}

        public mutating func add(_ delta: GraphDelta) {
            self.artifacts += 1
            for node in delta.nodes { self.nodes[node.id, default: 0] += node.artifactCount }
            for edge in delta.edges { self.edges[edge.id, default: 0] += edge.artifactCount }
        }
    }

    public struct Report: Sendable {
        public var artifacts: Int
        public var nodes: Int
        public var edges: Int
        /// One line per node or edge whose stored count differs (the first 100).
        public var mismatches: [String]
        public var mismatchCount: Int

        public var isConsistent: Bool { self.mismatchCount == 0 }
    }

    let artifacts: any ArtifactStore
    let graph: any GraphStore
    let projection: GraphProjection

    public init(artifacts: any ArtifactStore, graph: any GraphStore, projection: GraphProjection = GraphProjection()) {
        self.artifacts = artifacts
        self.graph = graph
        self.projection = projection
    }

    /// Reads every artifact of `org` (oldest first, a page at a time) and checks each node's and
    /// edge's artifact count. `progress` is called with the artifacts read so far.
    public func run(in org: Org.ID, progress: (Int) -> Void = { _ in }) async throws -> Report {
        var expected = Expected()
        var offset = 0
        while true {
            let page = try await self.artifacts.search(
                ArtifactQuery(order: .oldestFirst, page: PageRequest(limit: PageRequest.maximumLimit, offset: offset)),
                in: org)
            for artifact in page.items { expected.add(self.projection.delta(for: artifact)) }
            offset += page.items.count
            progress(offset)
            if page.items.isEmpty || offset >= page.total { break }
        }
        var mismatches: [String] = []
        var count = 0
        func record(_ line: String) {
            count += 1
            if mismatches.count < 100 { mismatches.append(line) }
        }
        let nodeIDs = expected.nodes.keys.sorted()
        for start in stride(from: 0, to: nodeIDs.count, by: 1_000) {
            let batch = Array(nodeIDs[start..<min(start + 1_000, nodeIDs.count)])
            let stored = Dictionary(
                try await self.graph.nodes(batch, in: org).map { ($0.id, $0.artifactCount) },
                uniquingKeysWith: { first, _ in first })
            for id in batch where stored[id] != expected.nodes[id] {
                record(
                    "node \(id): stored \(stored[id].map(String.init) ?? "none"), expected \(expected.nodes[id] ?? 0)")
            }
        }
        for (id, want) in expected.edges.sorted(by: { $0.key < $1.key }) {
            let have = try await self.graph.edge(id, in: org)?.artifactCount
            if have != want { record("edge \(id): stored \(have.map(String.init) ?? "none"), expected \(want)") }
        }
        return Report(
            artifacts: expected.artifacts, nodes: nodeIDs.count, edges: expected.edges.count, mismatches: mismatches,
            mismatchCount: count)
    }
}
