import Synchronization
import WFACore

/// Edges this process has seen committed, with a range of days each is known to cover, so a batch
/// writes an edge's identity only when the edge or one of its days is new to the process. On a
/// busy graph almost every edge of a batch is already known, and its `INSERT … ON CONFLICT DO
/// NOTHING` was a tenth of the database's work per event.
///
/// What it remembers stays true until the retention purge deletes edges. The purge bumps
/// `graph_epoch.generation` first, holding that row's lock until it commits, and every graph write
/// reads the generation under a shared lock on the same row: a write either sees the new
/// generation, and starts from an empty cache, or finishes before the purge deletes anything.
final class KnownEdges: Sendable {
    private struct State {
        var generation: Int64?
        var days: [Key: ClosedRange<UTCDay>] = [:]
    }

    private struct Key: Hashable {
        var org: Org.ID
        var edge: Edge.ID
    }

    /// Edges remembered at most; a full cache starts over rather than paying for an eviction order.
    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int = 200_000) {
        self.capacity = max(0, capacity)
    }

    var count: Int { self.state.withLock { $0.days.count } }

    /// Of `edges`, the ones known to exist in `org` on every day of their range, as of `generation`
    /// (read under the `graph_epoch` lock in the writing transaction). A new generation empties
    /// the cache.
    func covered(_ edges: [Edge.ID: ClosedRange<UTCDay>], in org: Org.ID, generation: Int64) -> Set<Edge.ID> {
        self.state.withLock { state in
            if state.generation != generation {
                state = State(generation: generation)
                return []
            }
            var covered: Set<Edge.ID> = []
            for (edge, days) in edges {
                if state.days[Key(org: org, edge: edge)]?.covers(days) == true { covered.insert(edge) }
            }
            return covered
        }
    }

    /// Remembers edges a committed transaction wrote (or found) under `generation`, each on at
    /// least the days given. A generation that has moved on since is ignored.
    func remember(_ edges: [Edge.ID: ClosedRange<UTCDay>], in org: Org.ID, generation: Int64) {
        guard self.capacity > 0, !edges.isEmpty else { return }
        self.state.withLock { state in
            guard state.generation == generation else { return }
            if state.days.count + edges.count > self.capacity { state.days.removeAll(keepingCapacity: true) }
            for (edge, days) in edges {
                let key = Key(org: org, edge: edge)
                state.days[key] = state.days[key].map { $0.including(days) } ?? days
            }
        }
    }
}
