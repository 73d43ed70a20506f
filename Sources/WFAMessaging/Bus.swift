public import Foundation

/// The message bus between the services: durable hops with at-least-once delivery.
///
/// Two implementations pass the same test suite: ``InProcessBus`` when all roles share a process,
/// and ``JetStreamBus`` (NATS JetStream) when they do not. Consumers must be idempotent: a message
/// can arrive again after a crash or a lost acknowledgement.
public protocol Bus: Sendable {
    /// Whether messages stay in this process: published here, delivered here, and lost with it.
    /// A consumer of such a bus sees a message again only after its own handler threw for it (never
    /// after a crash), so it can remember what it must not repeat instead of asking storage.
    var deliversWithinProcess: Bool { get }

    /// Returns once the bus holds every message durably. A message whose id was published before
    /// (within the dedup window) is accepted and dropped. When the bus is full this waits: that is
    /// how a slow consumer pushes back on the senders.
    func publish(_ messages: [BusMessage]) async throws

    /// Creates the durable consumer `configuration.name` on `topic` if it does not exist, so that
    /// everything published from now on is kept for it, even before it first consumes. Declare
    /// consumers before publishing: the in-process bus keeps nothing for consumers it does not know.
    func declare(_ topic: BusTopic, consumer configuration: ConsumerConfiguration) async throws

    /// Runs the durable consumer `configuration.name` on `topic` until the calling task is
    /// cancelled, handing it batches of messages.
    ///
    /// A batch is acknowledged when `handler` returns. When it throws, the messages are retried one
    /// by one, so one bad message does not hold back the others; one that keeps failing is
    /// delivered again after the configured backoff, and after `maximumDeliveries` attempts it is
    /// moved to the dead letters (see ``deadLetters(limit:)``).
    func consume(
        _ topic: BusTopic,
        as configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) async throws

    /// Messages that exhausted their deliveries, oldest first.
    func deadLetters(limit: Int) async throws -> [DeadLetter]

    /// How many dead letters there are.
    func deadLetterCount() async throws -> Int

    /// Publishes a dead letter again on its original subject and removes it from the dead letters;
    /// false when there is no dead letter with that sequence.
    func replayDeadLetter(_ sequence: UInt64) async throws -> Bool

    /// Where the consumer `name` of `topic` stands.
    func status(of topic: BusTopic, consumer name: String) async throws -> ConsumerStatus
}

extension Bus {
    /// How many messages of `topic` the consumer `name` has not yet acknowledged.
    public func backlog(of topic: BusTopic, consumer name: String) async throws -> Int {
        try await self.status(of: topic, consumer: name).backlog
    }
}

/// A durable consumer's progress.
public struct ConsumerStatus: Sendable, Hashable {
    /// Messages not yet acknowledged (waiting, in flight, or waiting for a redelivery).
    public var backlog: Int
    /// Messages that failed at least once and are not yet acknowledged.
    public var redelivering: Int

    public init(backlog: Int, redelivering: Int) {
        self.backlog = backlog
        self.redelivering = redelivering
    }
}

/// One message on the bus.
public struct BusMessage: Sendable, Hashable {
    /// The dedup key (`Nats-Msg-Id`): the artifact or event id.
    public var id: String
    /// `wfa.<topic>.<org>`.
    public var subject: String
    private var body: Body

    /// The bytes as they travel: the encoded value, or the bytes the message was made from.
    public var payload: [UInt8] {
        get {
            switch self.body {
            case .bytes(let bytes): bytes
            case .value(_, let encode): encode()
            }
        }
        set { self.body = .bytes(newValue) }
    }

    private enum Body: Sendable {
        case bytes([UInt8])
        /// A value whose bytes are written only when asked for. A bus in one process hands the
        /// value on and never asks (encoding each artifact for the bus and reading it back was a
        /// sixth of the all-in-one pipeline's CPU); a bus between processes asks once, to send.
        case value(any Sendable, encode: @Sendable () -> [UInt8])
    }

    public init(id: String, subject: String, payload: [UInt8]) {
        self.id = id
        self.subject = subject
        self.body = .bytes(payload)
    }

    /// A message carrying `value`, encoded by `encode` when its payload is read.
    init<Value: Sendable>(id: String, subject: String, value: Value, encode: @escaping @Sendable (Value) -> [UInt8]) {
        self.id = id
        self.subject = subject
        self.body = .value(value, encode: { encode(value) })
    }

    /// The value the message was made from, when it was made from one of type `T` and has not
    /// crossed a process since: a consumer that can use it need not read the payload.
    public func carriedValue<T>(_ type: T.Type) -> T? {
        guard case .value(let value, _) = self.body else { return nil }
        return value as? T
    }

    /// Equal payloads are equal messages, however each holds its payload.
    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.id == rhs.id && lhs.subject == rhs.subject && lhs.payload == rhs.payload
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(self.id)
        hasher.combine(self.subject)
        hasher.combine(self.payload)
    }
}

/// One hop of the pipeline: a stream of subjects `wfa.<name>.<org>`.
public struct BusTopic: Sendable, Hashable, CustomStringConvertible {
    /// `artifacts`, `graph`, `incidents`.
    public let name: String

    public init(_ name: String) {
        self.name = name
    }

    public static let artifacts = BusTopic("artifacts")
    public static let graph = BusTopic("graph")
    public static let incidents = BusTopic("incidents")

    /// The JetStream stream that holds the topic.
    public var streamName: String { "WFA_\(self.name.uppercased())" }

    /// The subjects of every org.
    public var wildcard: String { "wfa.\(self.name).>" }

    /// The subject of one org. Characters a NATS subject token cannot hold become `_`.
    public func subject(for org: String) -> String {
        // Org ids are almost always a plain token already: no scalar-by-scalar rebuild for those.
        if !org.isEmpty, org.utf8.allSatisfy(Self.isPlainTokenByte) { return "wfa.\(self.name).\(org)" }
        let token = String(
            org.unicodeScalars.map { scalar -> Character in
                scalar.isASCII && (CharacterSet.alphanumerics.contains(scalar) || scalar == "-" || scalar == "_")
                    ? Character(scalar) : "_"
            })
        return "wfa.\(self.name).\(token.isEmpty ? "_" : token)"
    }

    private static func isPlainTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
            UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
            true
        default: false
        }
    }

    /// The topic of a `wfa.<topic>.<org>` subject; nil for any other subject.
    public init?(subject: String) {
        // Read on every publish: the second token found in place, not by splitting the subject.
        let utf8 = subject.utf8
        guard utf8.starts(with: "wfa.".utf8) else { return nil }
        let start = utf8.index(utf8.startIndex, offsetBy: 4)
        guard let end = utf8[start...].firstIndex(of: UInt8(ascii: ".")), end > start else { return nil }
        self.init(String(subject[start..<end]))
    }

    public var description: String { self.name }
}

/// How a durable consumer takes its messages.
public struct ConsumerConfiguration: Sendable, Hashable {
    /// The durable name: a consumer that restarts with the same name continues where it stopped.
    public var name: String
    /// Messages per batch handed to the handler.
    public var batchSize: Int
    /// Attempts before a message goes to the dead letters.
    public var maximumDeliveries: Int
    /// The wait before each redelivery (the last value repeats).
    public var backoff: [Duration]
    /// How long a delivered message may stay unacknowledged (a crashed consumer) before it is
    /// delivered again.
    public var acknowledgementWait: Duration
    /// Start with the messages published after the consumer is declared, not with everything the
    /// topic still holds: for live views, which have no use for the past.
    public var startsWithNewMessages: Bool
    /// Let the bus remove the consumer (and what it kept) after this long without a subscriber: for
    /// consumers that belong to one process, whose name dies with it. Nil keeps it forever.
    public var inactiveThreshold: Duration?

    public init(
        name: String,
        batchSize: Int = 256,
        maximumDeliveries: Int = 5,
        backoff: [Duration] = [.milliseconds(100), .seconds(1), .seconds(5), .seconds(30)],
        acknowledgementWait: Duration = .seconds(30),
        startsWithNewMessages: Bool = false,
        inactiveThreshold: Duration? = nil
    ) {
        self.startsWithNewMessages = startsWithNewMessages
        self.inactiveThreshold = inactiveThreshold
        self.name = name
        self.batchSize = max(1, batchSize)
        self.maximumDeliveries = max(1, maximumDeliveries)
        self.backoff = backoff.isEmpty ? [.zero] : backoff
        self.acknowledgementWait = acknowledgementWait
    }

    /// The wait before delivery number `attempt + 1`, after `attempt` failed deliveries.
    public func delay(after attempt: Int) -> Duration {
        self.backoff[min(max(attempt - 1, 0), self.backoff.count - 1)]
    }
}

/// A message that failed every delivery, with why.
public struct DeadLetter: Sendable, Hashable {
    /// Its position among the dead letters (the key to replay it).
    public var sequence: UInt64
    public var message: BusMessage
    public var consumer: String
    /// The last error the handler threw.
    public var reason: String
    public var deliveries: Int
    public var failedAt: Date

    public init(
        sequence: UInt64, message: BusMessage, consumer: String, reason: String, deliveries: Int, failedAt: Date
    ) {
        self.sequence = sequence
        self.message = message
        self.consumer = consumer
        self.reason = reason
        self.deliveries = deliveries
        self.failedAt = failedAt
    }
}

/// Errors of the bus itself (not of a handler).
public struct BusError: Error, CustomStringConvertible, Sendable {
    public var description: String

    public init(_ description: String) {
        self.description = description
    }
}
