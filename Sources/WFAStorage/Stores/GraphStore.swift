public import Foundation
public import WFACore

/// The knowledge graph: nodes, and edges aggregated per day of observation.
///
/// Cassandra tables: `nodes_by_id`, `nodes_by_type`, `edges_by_id_day`, `edges_out_by_day`,
/// `edges_in_by_day`, `graph_deltas_applied` (LWT on the delta id).
public protocol GraphStore: Sendable {
    /// Applies deltas, wholly or (on a thrown error) not at all.
    ///
    /// With ``DeltaDeduplication/ledger`` each delta takes effect exactly once, however often it
    /// is applied. With ``DeltaDeduplication/caller`` the caller promises not to hand over a delta
    /// it has handed over before (a store may skip its ledger then); the store still reports a
    /// batch applied only when it was, even when the connection fails during the commit.
    func apply(_ deltas: [GraphDelta], deduplication: DeltaDeduplication) async throws

    func node(_ id: Node.ID, in org: Org.ID) async throws -> Node?

    /// The nodes among `ids` that exist in `org` (order unspecified).
    func nodes(_ ids: [Node.ID], in org: Org.ID) async throws -> [Node]

    /// Nodes of `org` matching `query`, ordered by (type, value).
    func searchNodes(_ query: NodeQuery, in org: Org.ID) async throws -> Page<Node>

    /// Replaces a node's flags; returns the updated node, or nil when it does not exist in `org`.
    func setFlags(_ flags: NodeFlags, of id: Node.ID, in org: Org.ID) async throws -> Node?

    /// An edge with its counts summed over the days still retained.
    func edge(_ id: Edge.ID, in org: Org.ID) async throws -> Edge?

    /// Edges of one node, newest first (by last seen), then by id.
    func searchEdges(_ query: EdgeQuery, in org: Org.ID) async throws -> Page<Edge>

    /// The edges touching any of `nodes` (either direction), summed over the retained days: for
    /// each node its `limitPerNode` most recently seen, by the UTC day they were last seen on (ties
    /// by id). What a breadth-first walk reads per hop, in one round trip instead of one per node.
    func edges(touching nodes: [Node.ID], limitPerNode: Int, in org: Org.ID) async throws -> [Edge]

    /// Removes nodes last seen before `cutoff` and edge observations before it; returns how many
    /// node and edge-day records went (or would go, with `dryRun`).
    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int

    /// The `limit` nodes of `org` that sent the most bytes over `communicates_with` edges on the
    /// UTC days from `range.start`'s to `range.end`'s (edges are counted per day), most first; ties by
    /// events, then id.
    func topTalkers(_ range: TimeRange, limit: Int, in org: Org.ID) async throws -> [Talker]
}

/// Who makes sure a graph delta takes effect once.
public enum DeltaDeduplication: Sendable {
    /// The store: it keeps a ledger of applied delta ids and skips the ones it has seen. For
    /// deltas that may come back from another process (a durable bus after a crash, a replay).
    case ledger
    /// The caller, which never hands a delta over twice: a pipeline in one process, where a batch
    /// comes back only to the processor that applied it (see `GraphProcessor`).
    case caller
}

extension GraphStore {
    /// Applies deltas through the store's ledger: each takes effect exactly once.
    public func apply(_ deltas: [GraphDelta]) async throws {
        try await self.apply(deltas, deduplication: .ledger)
    }
}

extension Edge {
    /// The order ``GraphStore/edges(touching:limitPerNode:in:)`` picks a node's edges in: the UTC
    /// day last seen, newest first, then id.
    public static func newerDayFirst(_ left: Edge, _ right: Edge) -> Bool {
        let leftDay = EpochMicroseconds.utcDayIndex(of: left.lastSeen)
        let rightDay = EpochMicroseconds.utcDayIndex(of: right.lastSeen)
        return leftDay != rightDay ? leftDay > rightDay : left.id < right.id
    }
}
