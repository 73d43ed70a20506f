public import WFACore
public import WFAMessaging

/// The sink of the pipeline: publishes artifacts to the bus for the graph-processor.
///
/// `accept` returns once the bus holds the batch durably. While the graph-processor is more than
/// `maximumBacklog` messages behind, it waits first: that is how a slow store reaches back to the
/// senders (TCP stops reading, HTTP answers later) instead of filling the bus.
public struct BusArtifactSink: ArtifactSink {
    let bus: any Bus
    let maximumBacklog: Int
    let consumer: String

    public init(bus: any Bus, maximumBacklog: Int = 50_000, consumer: String = "graph-processor") {
        self.bus = bus
        self.maximumBacklog = max(1, maximumBacklog)
        self.consumer = consumer
    }

    public func accept(_ artifacts: [Artifact]) async throws {
        guard !artifacts.isEmpty else { return }
        while try await self.bus.backlog(of: .artifacts, consumer: self.consumer) > self.maximumBacklog {
            try await Task.sleep(for: .milliseconds(50))
        }
        try await self.bus.publish(try artifacts.map(BusMessage.artifact))
    }
}
