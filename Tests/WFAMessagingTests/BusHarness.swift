import Foundation
import WFAMessaging
import WFATestSupport

/// The two buses every behaviour is checked against.
enum BusKind: String, CaseIterable, Sendable {
    case inProcess, jetStream
}

enum BusHarness {
    /// Runs `body` with a fresh bus of `kind`; JetStream gets its own nats-server.
    static func withBus<T>(
        _ kind: BusKind, capacity: Int = 100_000, _ body: (any Bus, NATSServerProcess?) async throws -> T
    ) async throws -> T {
        switch kind {
        case .inProcess:
            return try await body(InProcessBus(capacity: capacity), nil)
        case .jetStream:
            let server = try await NATSServerProcess()
            let bus = try JetStreamBus(configuration: .init(url: server.url, requestTimeout: .seconds(2)))
            do {
                let result = try await body(bus, server)
                try await bus.shutdown()
                return result
            } catch {
                try? await bus.shutdown()
                throw error
            }
        }
    }

    static func messages(_ count: Int, topic: BusTopic = .artifacts, org: String = "org-1", prefix: String = "m")
        -> [BusMessage]
    {
        (0..<count).map {
            BusMessage(id: "\(prefix)\($0)", subject: topic.subject(for: org), payload: Array("payload \($0)".utf8))
        }
    }
}

/// What a consumer's handler saw, and a way to wait for it.
actor Received {
    private(set) var messages: [BusMessage] = []
    private(set) var batches = 0

    func add(_ batch: [BusMessage]) {
        self.messages += batch
        self.batches += 1
    }

    var ids: [String] { self.messages.map(\.id) }

    /// Waits until `count` distinct message ids arrived (or `timeout` passed); returns them.
    func waitForDistinct(_ count: Int, timeout: Duration = .seconds(15)) async throws -> Set<String> {
        let deadline = ContinuousClock.now + timeout
        while Set(self.messages.map(\.id)).count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
        }
        return Set(self.messages.map(\.id))
    }

    /// Waits until `count` messages arrived (or `timeout` passed) and returns what did.
    func waitFor(_ count: Int, timeout: Duration = .seconds(15)) async throws -> [BusMessage] {
        let deadline = ContinuousClock.now + timeout
        while self.messages.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.messages
    }
}

/// A consumer running in the background until `stop()`.
struct RunningConsumer {
    let task: Task<Void, any Error>

    init(
        _ bus: any Bus, _ topic: BusTopic, _ configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) {
        self.task = Task { try await bus.consume(topic, as: configuration, handler: handler) }
    }

    /// A consumer of the artifacts topic.
    init(
        _ bus: any Bus, _ configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) {
        self.init(bus, .artifacts, configuration, handler: handler)
    }

    func stop() async {
        self.task.cancel()
        _ = try? await self.task.value
    }
}

struct InjectedFailure: Error, CustomStringConvertible {
    let description: String
}
