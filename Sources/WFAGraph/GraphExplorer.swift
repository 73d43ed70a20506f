public import WFACore
public import WFAStorage

/// Walks the knowledge graph outwards from nodes: neighborhoods and shortest paths, over any
/// ``GraphStore``.
public struct GraphExplorer: Sendable {
    let store: any GraphStore
    /// Edges read per node and hop: a hub (a DNS server talks to everyone) must not make one
    /// query read the whole graph.
    let edgesPerNode: Int

    public init(store: any GraphStore, edgesPerNode: Int = 1_000) {
        self.store = store
        self.edgesPerNode = max(1, min(edgesPerNode, PageRequest.maximumLimit))
    }

    /// A connected piece of the graph.
    public struct Subgraph: Sendable, Hashable {
        public var nodes: [Node]
        public var edges: [Edge]
        /// The node limit stopped the walk before it was complete.
        public var truncated: Bool
    }

    /// The nodes within `depth` hops of `start` (edges in either direction), breadth first, at most
    /// `limit` nodes; nil when `start` does not exist.
    public func neighborhood(of start: Node.ID, depth: Int, limit: Int, in org: Org.ID) async throws -> Subgraph? {
        guard let origin = try await self.store.node(start, in: org) else { return nil }
        var order: [Node.ID] = [start]
        var seen: Set<Node.ID> = [start]
        var edges: [Edge.ID: Edge] = [:]
        var frontier: [Node.ID] = [start]
        var truncated = false
        walk: for _ in 0..<max(1, depth) {
            var next: [Node.ID] = []
            for edge in try await self.store.edges(touching: frontier, limitPerNode: self.edgesPerNode, in: org) {
                for other in [edge.sourceID, edge.targetID] where !seen.contains(other) {
                    guard order.count < limit else {
                        truncated = true
                        break walk
                    }
                    seen.insert(other)
                    order.append(other)
                    next.append(other)
                }
                edges[edge.id] = edge
            }
            frontier = next
            if frontier.isEmpty { break }
        }
        let found = Dictionary(
            try await self.store.nodes(Array(order.dropFirst()), in: org).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        let nodes = [origin] + order.dropFirst().compactMap { found[$0] }
        let kept = Set(nodes.map(\.id))
        return Subgraph(
            nodes: nodes,
            edges: edges.values.filter { kept.contains($0.sourceID) && kept.contains($0.targetID) }
                .sorted { $0.id < $1.id },
            truncated: truncated)
    }

    /// Why a path query found nothing.
    public enum PathFailure: Error, Sendable, Equatable {
        case missingNode(Node.ID)
        case noPath(maximumDepth: Int)
    }

    /// A shortest path from `source` to `target` (edges in either direction), at most
    /// `maximumDepth` edges long: its nodes in order and its edges.
    public func shortestPath(
        from source: Node.ID, to target: Node.ID, maximumDepth: Int, in org: Org.ID
    ) async throws -> Result<Subgraph, PathFailure> {
        guard let first = try await self.store.node(source, in: org) else { return .failure(.missingNode(source)) }
        guard let last = try await self.store.node(target, in: org) else { return .failure(.missingNode(target)) }
        if source == target { return .success(Subgraph(nodes: [first], edges: [], truncated: false)) }
        // Each node remembers the edge it was reached by; the walk ends when the target is reached.
        var reachedBy: [Node.ID: Edge] = [:]
        var seen: Set<Node.ID> = [source]
        var frontier: [Node.ID] = [source]
        search: for _ in 0..<max(1, maximumDepth) {
            var next: [Node.ID] = []
            let reached = Set(frontier)
            for edge in try await self.store.edges(touching: frontier, limitPerNode: self.edgesPerNode, in: org) {
                // An edge leads on from whichever of its ends this hop started at.
                for (from, other) in [(edge.sourceID, edge.targetID), (edge.targetID, edge.sourceID)]
                where reached.contains(from) {
                    guard seen.insert(other).inserted else { continue }
                    reachedBy[other] = edge
                    if other == target { break search }
                    next.append(other)
                }
            }
            frontier = next
            if frontier.isEmpty { break }
        }
        guard reachedBy[target] != nil else { return .failure(.noPath(maximumDepth: maximumDepth)) }
        var pathEdges: [Edge] = []
        var pathNodes: [Node.ID] = [target]
        var current = target
        while current != source, let edge = reachedBy[current] {
            pathEdges.append(edge)
            current = edge.sourceID == current ? edge.targetID : edge.sourceID
            pathNodes.append(current)
        }
        pathNodes.reverse()
        pathEdges.reverse()
        let middle = Dictionary(
            try await self.store.nodes(Array(pathNodes.dropFirst().dropLast()), in: org).map { ($0.id, $0) },
            uniquingKeysWith: { first, _ in first })
        let nodes = [first] + pathNodes.dropFirst().dropLast().compactMap { middle[$0] } + [last]
        return .success(Subgraph(nodes: nodes, edges: pathEdges, truncated: false))
    }
}
