public import WFACore
public import WFAMessaging
public import WFAStorage

/// The sink of the pipeline: publishes artifacts to the bus for the graph-processor.
///
/// `accept` returns once the bus holds the batch durably. While the graph-processor is more than
/// `maximumBacklog` messages behind, it waits first: that is how a slow store reaches back to the
/// senders (TCP stops reading, HTTP answers later) instead of filling the bus.
///
/// With a bus that is not durable (in process), give it the artifact store: it then stores each
/// batch before publishing, so an accepted event survives a crash of the process.
public struct BusArtifactSink: ArtifactSink {
    let bus: any Bus
    let store: (any ArtifactStore)?
    let maximumBacklog: Int
    let consumer: String

    public init(
        bus: any Bus, storingFirstIn store: (any ArtifactStore)? = nil, maximumBacklog: Int = 50_000,
        consumer: String = "graph-processor"
    ) {
        self.bus = bus
        self.store = store
        self.maximumBacklog = max(1, maximumBacklog)
        self.consumer = consumer
    }

    public func accept(_ artifacts: [Artifact]) async throws {
        guard !artifacts.isEmpty else { return }
        while try await self.bus.backlog(of: .artifacts, consumer: self.consumer) > self.maximumBacklog {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await self.store?.append(artifacts)
        try await self.bus.publish(artifacts.map(BusMessage.artifact))
    }
}
