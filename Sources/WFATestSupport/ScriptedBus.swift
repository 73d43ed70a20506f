import Synchronization
public import WFAMessaging

/// An in-process bus that can pretend to cross processes (so its consumers deduplicate through
/// storage) and that fails the first few publishes of graph events, as a full or closing bus would.
public final class ScriptedBus: Bus {
    let base = InProcessBus()
    public let deliversWithinProcess: Bool
    let graphPublishFailures: Mutex<Int>

    public init(deliversWithinProcess: Bool = true, failingGraphPublishes: Int = 0) {
        self.deliversWithinProcess = deliversWithinProcess
        self.graphPublishFailures = Mutex(failingGraphPublishes)
    }

    /// Graph publishes that are still to fail.
    public var failuresLeft: Int { self.graphPublishFailures.withLock { $0 } }

    public func publish(_ messages: [BusMessage]) async throws {
        if messages.contains(where: { BusTopic(subject: $0.subject) == .graph }) {
            let fails = self.graphPublishFailures.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if fails { throw BusError("graph events refused (scripted)") }
        }
        try await self.base.publish(messages)
    }

    public func declare(_ topic: BusTopic, consumer configuration: ConsumerConfiguration) async throws {
        try await self.base.declare(topic, consumer: configuration)
    }

    public func consume(
        _ topic: BusTopic, as configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) async throws {
        try await self.base.consume(topic, as: configuration, handler: handler)
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] { try await self.base.deadLetters(limit: limit) }

    public func deadLetterCount() async throws -> Int { try await self.base.deadLetterCount() }

    public func replayDeadLetter(_ sequence: UInt64) async throws -> Bool {
        try await self.base.replayDeadLetter(sequence)
    }

    public func status(of topic: BusTopic, consumer name: String) async throws -> ConsumerStatus {
        try await self.base.status(of: topic, consumer: name)
    }
}
