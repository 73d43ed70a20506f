public import Logging
public import ServiceLifecycle
import Synchronization
import WFACore
public import WFAMessaging
public import WFAStorage

/// The graph-processor role: takes artifacts off the bus, stores them (unless the sink did),
/// applies their graph
/// deltas, and publishes a graph event per artifact for the incident engine.
///
/// A batch is acknowledged only after all three succeeded; each is idempotent (artifacts by id,
/// deltas through the store's ledger, events by `Nats-Msg-Id`), so a redelivery after a crash
/// changes nothing.
///
/// On a bus that delivers within the process, a batch comes back only after this processor's
/// handler threw for it, so the processor itself knows which deltas it applied: it skips the
/// store's ledger (a row per event) and remembers the deltas of a batch that failed after they
/// were applied. The in-process bus drops a message id it has seen within its dedup window, so
/// no delta arrives twice otherwise. One processor per consumer name in a process.
public struct GraphProcessor: Service {
    /// The durable consumer it runs as, unless told otherwise. A batch is what arrived while the
    /// last one was written, so it reaches the bound only when the processor falls behind; then a
    /// bigger batch folds more repeats of a node or edge into one row. All in one process,
    /// 12,500/s was sustained with 4,096 where 512 was not, and 17,500/s with 16,384 where 4,096
    /// sustained 15,000/s (RSS then peaked at 270–350 MB, against 230–270).
    public static let consumer = ConsumerConfiguration(name: "graph-processor", batchSize: 16_384)

    let bus: any Bus
    let consumer: ConsumerConfiguration
    /// nil when the ingestion side already stored the artifacts (the in-process pipeline).
    let artifacts: (any ArtifactStore)?
    let graph: any GraphStore
    let projection: GraphProjection
    let logger: Logger
    let deduplication: DeltaDeduplication
    /// Deltas applied in batches that then failed (`.caller` deduplication only).
    let appliedInFailedBatches = AppliedDeltas()

    /// Delta keys (org and id) behind a lock, shared by the copies of one processor.
    final class AppliedDeltas: Sendable {
        struct Key: Hashable {
            var org: Org.ID
            var id: String
        }

        let keys = Mutex<Set<Key>>([])
    }

    public init(
        bus: any Bus, artifacts: (any ArtifactStore)?, graph: any GraphStore, projection: GraphProjection,
        consumer: ConsumerConfiguration = Self.consumer, logger: Logger
    ) {
        self.bus = bus
        self.consumer = consumer
        self.artifacts = artifacts
        self.graph = graph
        self.projection = projection
        self.logger = logger
        self.deduplication = bus.deliversWithinProcess ? .caller : .ledger
    }

    /// Consumes until graceful shutdown (or cancellation).
    public func run() async throws {
        try await self.bus.declare(.artifacts, consumer: self.consumer)
        try await cancelWhenGracefulShutdown {
            try await self.bus.consume(.artifacts, as: self.consumer) { messages in
                try await self.process(messages)
            }
        }
    }

    /// Stores, graphs and forwards one batch.
    public func process(_ messages: [BusMessage]) async throws {
        let artifacts = try messages.map { try $0.decode(Artifact.self) }
        try await self.artifacts?.append(artifacts)
        let deltas = artifacts.map(self.projection.delta(for:))
        let unapplied = self.withoutDeltasAppliedBefore(deltas)
        try await self.graph.apply(unapplied, deduplication: self.deduplication)
        // The artifact goes on as it came: in its document (writing it again cost 6% of a batch) or
        // as the value an in-process bus carried.
        let events = messages.indices.map { index in
            BusMessage.graphEvent(
                artifactMessage: messages[index], artifact: artifacts[index],
                nodeIDs: deltas[index].nodes.map(\.id), edgeIDs: deltas[index].edges.map(\.id))
        }
        do {
            try await self.bus.publish(events)
        } catch {
            // The batch comes back; its deltas are in the graph already.
            self.remember(unapplied, as: true)
            throw error
        }
        self.remember(deltas, as: false)
    }

    private func withoutDeltasAppliedBefore(_ deltas: [GraphDelta]) -> [GraphDelta] {
        guard self.deduplication == .caller else { return deltas }
        return self.appliedInFailedBatches.keys.withLock { applied in
            applied.isEmpty ? deltas : deltas.filter { !applied.contains(.init(org: $0.orgID, id: $0.id)) }
        }
    }

    /// Records deltas as applied in a failed batch, or (once their batch succeeded) forgets them.
    private func remember(_ deltas: [GraphDelta], as applied: Bool) {
        guard self.deduplication == .caller else { return }
        self.appliedInFailedBatches.keys.withLock { set in
            guard applied || !set.isEmpty else { return }
            for delta in deltas {
                let key = AppliedDeltas.Key(org: delta.orgID, id: delta.id)
                if applied { set.insert(key) } else { set.remove(key) }
            }
        }
    }
}
