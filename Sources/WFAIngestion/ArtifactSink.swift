public import WFACore
public import WFAStorage

/// Where receivers hand the artifacts they parsed.
///
/// `accept` returns once the sink has taken responsibility for the batch: stored it, or published
/// it to a durable bus. It may suspend while the sink is busy; receivers wait rather than buffer,
/// which is how a slow store slows the senders (TCP stops reading, HTTP answers later).
public protocol ArtifactSink: Sendable {
    /// - Throws: when the batch could not be taken; none of it should be assumed kept.
    func accept(_ artifacts: [Artifact]) async throws
}

/// Until the pipeline's bus exists, the sink that stores artifacts through the storage protocol.
/// Appends are idempotent by artifact id, so a batch retried after a failure is stored once.
public struct StorageArtifactSink: ArtifactSink {
    let store: any ArtifactStore
    /// Artifacts per `append`; larger batches are split so one write stays a bounded transaction.
    let maximumBatch: Int

    public init(store: any ArtifactStore, maximumBatch: Int = 5_000) {
        self.store = store
        self.maximumBatch = max(1, maximumBatch)
    }

    public func accept(_ artifacts: [Artifact]) async throws {
        var start = 0
        while start < artifacts.count {
            let end = min(start + self.maximumBatch, artifacts.count)
            try await self.store.append(Array(artifacts[start..<end]))
            start = end
        }
    }
}
