import Foundation
import NIOCore

/// The bus when every role runs in one process: bounded in-memory topics with the same delivery
/// rules as JetStream (durable consumer cursors, batch then single retries, backoff, dead letters,
/// dedup by message id).
///
/// It holds messages in memory only; what survives a crash is what the consumers have written.
/// A topic keeps messages only for consumers declared (or running) when they are published: in
/// one process nobody else could ever read them.
public actor InProcessBus: Bus {
    /// Messages a topic holds before publishers wait (the bound on memory).
    public let capacity: Int
    private let dedupWindow: Int
    private var topics: [String: TopicLog] = [:]
    private var dead: [DeadLetter] = []
    private var nextDeadSequence: UInt64 = 1
    private var publishWaiters: [CheckedContinuation<Void, Never>] = []
    private var nextWaitToken: UInt64 = 0

    /// - Parameters:
    ///   - capacity: messages held per topic before `publish` waits.
    ///   - dedupWindow: how many recent message ids per topic are remembered for dedup.
    public init(capacity: Int = 100_000, dedupWindow: Int = 200_000) {
        self.capacity = max(1, capacity)
        self.dedupWindow = max(0, dedupWindow)
    }

    public nonisolated var deliversWithinProcess: Bool { true }

    public func publish(_ messages: [BusMessage]) async throws {
        for message in messages {
            guard let name = BusTopic(subject: message.subject)?.name else {
                throw BusError("'\(message.subject)' is not a wfa subject (wfa.<topic>.<org>)")
            }
            guard self.topics[name]?.groups.isEmpty == false else { continue }
            while self.topics[name, default: TopicLog()].messages.count >= self.capacity {
                await withCheckedContinuation { self.publishWaiters.append($0) }
            }
            self.topics[name, default: TopicLog()].append(message, dedupWindow: self.dedupWindow, deduplicate: true)
            self.wakeConsumers(of: name)
        }
    }

    public func declare(_ topic: BusTopic, consumer configuration: ConsumerConfiguration) async throws {
        self.register(configuration, on: topic.name)
    }

    public nonisolated func consume(
        _ topic: BusTopic,
        as configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) async throws {
        await self.register(configuration, on: topic.name)
        while !Task.isCancelled {
            let deliveries = await self.take(configuration.batchSize, for: configuration.name, on: topic.name)
            if deliveries.isEmpty {
                await self.waitForWork(configuration.name, on: topic.name, upTo: .milliseconds(100))
                continue
            }
            let failures = await BatchDelivery.deliver(deliveries.map(\.message), to: handler)
            await self.settle(
                deliveries, failures: failures, cancelled: Task.isCancelled, for: configuration, on: topic.name)
        }
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        Array(self.dead.prefix(max(0, limit)))
    }

    public func deadLetterCount() async throws -> Int { self.dead.count }

    public func replayDeadLetter(_ sequence: UInt64) async throws -> Bool {
        guard let index = self.dead.firstIndex(where: { $0.sequence == sequence }) else { return false }
        let letter = self.dead.remove(at: index)
        guard let name = BusTopic(subject: letter.message.subject)?.name else { return false }
        // A replay is on purpose: it must not be dropped as a duplicate of the first delivery.
        self.topics[name, default: TopicLog()].append(letter.message, dedupWindow: 0, deduplicate: false)
        self.wakeConsumers(of: name)
        return true
    }

    public func status(of topic: BusTopic, consumer name: String) async throws -> ConsumerStatus {
        guard let log = self.topics[topic.name], let group = log.groups[name] else {
            return ConsumerStatus(backlog: 0, redelivering: 0)
        }
        return ConsumerStatus(
            backlog: Int(log.nextSequence - group.cursor) + group.retries.count + group.inFlight,
            redelivering: group.retries.count)
    }

    // MARK: - Consumer bookkeeping

    private func register(_ consumer: ConsumerConfiguration, on topic: String) {
        var log = self.topics[topic, default: TopicLog()]
        if log.groups[consumer.name] == nil {
            log.groups[consumer.name] = ConsumerGroup(
                cursor: consumer.startsWithNewMessages ? log.nextSequence : log.firstSequence)
        }
        self.topics[topic] = log
    }

    private func take(_ count: Int, for consumer: String, on topic: String) -> [Delivery] {
        // Taken out of the dictionary while it changes: a copy left behind would make every change
        // to its message buffer copy the whole buffer.
        guard var log = self.topics.removeValue(forKey: topic) else { return [] }
        defer { self.topics[topic] = log }
        guard var group = log.groups[consumer] else { return [] }
        var deliveries: [Delivery] = []
        let now = ContinuousClock.now
        while deliveries.count < count, let index = group.retries.firstIndex(where: { $0.notBefore <= now }) {
            let retry = group.retries.remove(at: index)
            deliveries.append(Delivery(message: retry.message, attempt: retry.attempt))
        }
        while deliveries.count < count, group.cursor < log.nextSequence {
            let offset = Int(group.cursor - log.firstSequence)
            deliveries.append(Delivery(message: log.messages[offset: offset], attempt: 1))
            group.cursor += 1
        }
        group.inFlight += deliveries.count
        log.groups[consumer] = group
        self.trim(&log)
        return deliveries
    }

    private func settle(
        _ deliveries: [Delivery], failures: [(index: Int, error: any Error)], cancelled: Bool,
        for configuration: ConsumerConfiguration, on topic: String
    ) {
        guard var group = self.topics[topic]?.groups[configuration.name] else { return }
        group.inFlight -= deliveries.count
        let now = ContinuousClock.now
        for (index, error) in failures {
            let delivery = deliveries[index]
            if cancelled {
                // Stopped mid-batch: the message was not really tried; hand it out again as it was.
                group.retries.append(Retry(message: delivery.message, attempt: delivery.attempt, notBefore: now))
            } else if delivery.attempt >= configuration.maximumDeliveries {
                self.dead.append(
                    DeadLetter(
                        sequence: self.nextDeadSequence, message: delivery.message, consumer: configuration.name,
                        reason: String(describing: error), deliveries: delivery.attempt, failedAt: Date()))
                self.nextDeadSequence += 1
            } else {
                group.retries.append(
                    Retry(
                        message: delivery.message, attempt: delivery.attempt + 1,
                        notBefore: now + configuration.delay(after: delivery.attempt)))
            }
        }
        self.topics[topic]?.groups[configuration.name] = group
    }

    /// Drops messages every consumer has taken, and lets waiting publishers go on.
    private func trim(_ log: inout TopicLog) {
        guard let floor = log.groups.values.map(\.cursor).min() else { return }
        var dropped = false
        while log.firstSequence < floor, !log.messages.isEmpty {
            log.messages.removeFirst()
            log.firstSequence += 1
            dropped = true
        }
        if dropped, log.messages.count < self.capacity {
            let waiters = self.publishWaiters
            self.publishWaiters.removeAll()
            for waiter in waiters { waiter.resume() }
        }
    }

    private func waitForWork(_ consumer: String, on topic: String, upTo timeout: Duration) async {
        self.nextWaitToken += 1
        let token = self.nextWaitToken
        Task { [weak self] in
            try? await Task.sleep(for: timeout)
            await self?.wake(consumer, on: topic, token: token)
        }
        await withCheckedContinuation { continuation in
            self.topics[topic]?.groups[consumer]?.waiter = Waiter(token: token, continuation: continuation)
        }
    }

    private func wake(_ consumer: String, on topic: String, token: UInt64) {
        guard let waiter = self.topics[topic]?.groups[consumer]?.waiter, waiter.token == token else { return }
        self.topics[topic]?.groups[consumer]?.waiter = nil
        waiter.continuation.resume()
    }

    private func wakeConsumers(of topic: String) {
        guard let groups = self.topics[topic]?.groups else { return }
        for (name, group) in groups {
            if let waiter = group.waiter {
                self.topics[topic]?.groups[name]?.waiter = nil
                waiter.continuation.resume()
            }
        }
    }
}

extension InProcessBus {
    struct Delivery: Sendable {
        var message: BusMessage
        var attempt: Int
    }

    struct Retry {
        var message: BusMessage
        var attempt: Int
        var notBefore: ContinuousClock.Instant
    }

    struct Waiter {
        var token: UInt64
        var continuation: CheckedContinuation<Void, Never>
    }

    struct ConsumerGroup {
        /// The sequence of the next message from the log this consumer has not been handed.
        var cursor: UInt64
        var retries: [Retry] = []
        var inFlight = 0
        var waiter: Waiter?
    }

    /// A topic's retained messages (from `firstSequence`), its consumers and its recent ids.
    struct TopicLog {
        var firstSequence: UInt64 = 1
        var messages = CircularBuffer<BusMessage>()
        var groups: [String: ConsumerGroup] = [:]
        var recentIDs: Set<String> = []
        var recentOrder = CircularBuffer<String>()

        var nextSequence: UInt64 { self.firstSequence + UInt64(self.messages.count) }

        mutating func append(_ message: BusMessage, dedupWindow: Int, deduplicate: Bool) {
            if deduplicate, dedupWindow > 0 {
                guard self.recentIDs.insert(message.id).inserted else { return }
                self.recentOrder.append(message.id)
                if self.recentOrder.count > dedupWindow {
                    self.recentIDs.remove(self.recentOrder.removeFirst())
                }
            }
            self.messages.append(message)
        }
    }
}
