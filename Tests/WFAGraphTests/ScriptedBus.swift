import Synchronization
import WFAMessaging

/// An in-process bus that can pretend to cross processes (so its consumers deduplicate through
/// storage) and that fails the first few publishes of graph events, as a full or closing bus would.
final class ScriptedBus: Bus {
    let base = InProcessBus()
    let deliversWithinProcess: Bool
    let graphPublishFailures: Mutex<Int>

    init(deliversWithinProcess: Bool = true, failingGraphPublishes: Int = 0) {
        self.deliversWithinProcess = deliversWithinProcess
        self.graphPublishFailures = Mutex(failingGraphPublishes)
    }

    /// Graph publishes that are still to fail.
    var failuresLeft: Int { self.graphPublishFailures.withLock { $0 } }

    func publish(_ messages: [BusMessage]) async throws {
        let graphSubject = BusTopic.graph.wildcard.dropLast()
        if messages.contains(where: { $0.subject.hasPrefix(graphSubject) }) {
            let fails = self.graphPublishFailures.withLock { left in
                defer { left = max(0, left - 1) }
                return left > 0
            }
            if fails { throw BusError("graph events refused (scripted)") }
        }
        try await self.base.publish(messages)
    }

    func declare(_ topic: BusTopic, consumer configuration: ConsumerConfiguration) async throws {
        try await self.base.declare(topic, consumer: configuration)
    }

    func consume(
        _ topic: BusTopic, as configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) async throws {
        try await self.base.consume(topic, as: configuration, handler: handler)
    }

    func deadLetters(limit: Int) async throws -> [DeadLetter] { try await self.base.deadLetters(limit: limit) }

    func deadLetterCount() async throws -> Int { try await self.base.deadLetterCount() }

    func replayDeadLetter(_ sequence: UInt64) async throws -> Bool { try await self.base.replayDeadLetter(sequence) }

    func status(of topic: BusTopic, consumer name: String) async throws -> ConsumerStatus {
        try await self.base.status(of: topic, consumer: name)
    }
}
