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
    ///
    /// When the limit cuts a hop short, each node of the hop contributes its newest neighbours in
    /// turn (one each, then a second each, ...), so one busy node cannot crowd out the others. Each
    /// hop reads per node only as many edges as that sharing could use, found from the nodes' edge
    /// counts, so a hub costs no more than the room left.
    public func neighborhood(of start: Node.ID, depth: Int, limit: Int, in org: Org.ID) async throws -> Subgraph? {
        guard let origin = try await self.store.node(start, in: org) else { return nil }
        var nodes: [Node] = [origin]
        var seen: Set<Node.ID> = [start]
        var edges: [Edge.ID: Edge] = [:]
        var frontier: [Node] = [origin]
        var truncated = false
        for _ in 0..<max(1, depth) {
            let room = limit - nodes.count
            guard room > 0 else {
                // Full before this hop: cut short if the hop had anywhere to go.
                if frontier.contains(where: { $0.edgeCount > 0 }) { truncated = true }
                break
            }
            let cap = Self.share(of: room, among: frontier.map(\.edgeCount), atMost: self.edgesPerNode)
            // A node with more edges than its share has some left unread.
            if frontier.contains(where: { $0.edgeCount > cap }) { truncated = true }
            let ids = frontier.map(\.id)
            let byNode = Self.newestFirst(
                try await self.store.edges(touching: ids, limitPerNode: cap, in: org), from: ids)
            var next: [Node.ID] = []
            var full = false
            fill: for rank in 0..<(byNode.map(\.count).max() ?? 0) {
                for (index, node) in ids.enumerated() where rank < byNode[index].count {
                    let edge = byNode[index][rank]
                    let other = edge.sourceID == node ? edge.targetID : edge.sourceID
                    if !seen.contains(other) {
                        guard nodes.count + next.count < limit else {
                            full = true
                            break fill
                        }
                        seen.insert(other)
                        next.append(other)
                    }
                    edges[edge.id] = edge
                }
            }
            frontier = try await self.nodes(next, in: org)
            nodes += frontier
            if full { truncated = true }
            if full || frontier.isEmpty { break }
        }
        let kept = Set(nodes.map(\.id))
        return Subgraph(
            nodes: nodes,
            edges: edges.values.filter { kept.contains($0.sourceID) && kept.contains($0.targetID) }
                .sorted { $0.id < $1.id },
            truncated: truncated)
    }

    /// The nodes `ids` in that order (any the store no longer has left out).
    private func nodes(_ ids: [Node.ID], in org: Org.ID) async throws -> [Node] {
        guard !ids.isEmpty else { return [] }
        let found = Dictionary(
            try await self.store.nodes(ids, in: org).map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        return ids.compactMap { found[$0] }
    }

    /// The smallest per-node count `c` (at most `maximum`) with which nodes having `degrees` edges
    /// offer `room` edges between them, each giving min(degree, c): the water level at which
    /// taking neighbours in turn fills the room. With less than `room` in all, every edge.
    static func share(of room: Int, among degrees: [Int64], atMost maximum: Int) -> Int {
        let sorted = degrees.map { Int(clamping: max(0, $0)) }.sorted()
        var left = room
        for (index, degree) in sorted.enumerated() {
            let sharing = sorted.count - index
            // Every remaining node can give `degree`: if that covers the room, the level is below it.
            let level = (left + sharing - 1) / sharing
            if degree >= level { return min(maximum, max(1, level)) }
            left -= degree
        }
        return min(maximum, max(1, sorted.last ?? 1))
    }

    /// `edges` grouped by the node of `nodes` they touch (an edge between two of them in both
    /// groups), each group newest first as the store picked them: by last seen day, then id.
    private static func newestFirst(_ edges: [Edge], from nodes: [Node.ID]) -> [[Edge]] {
        let position = Dictionary(nodes.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        var groups = Array(repeating: [Edge](), count: nodes.count)
        for edge in edges {
            for end in Set([edge.sourceID, edge.targetID]) {
                if let index = position[end] { groups[index].append(edge) }
            }
        }
        return groups.map { $0.sorted(by: Edge.newerDayFirst) }
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
