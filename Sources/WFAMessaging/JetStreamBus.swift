import CNats
import Foundation
public import Logging
import NIOPosix
import Synchronization

/// The bus over NATS JetStream, for roles split over processes or machines.
///
/// One file-backed stream per topic (`WFA_ARTIFACTS` on `wfa.artifacts.>`, ...), durable pull
/// consumers with explicit acknowledgement, `Nats-Msg-Id` dedup, redelivery with backoff through
/// `NAK` with a delay, and a dead-letter stream `WFA_DEAD`. cnats calls block, so they run on a
/// thread pool of the bus's own, never on Swift's cooperative threads.
public final class JetStreamBus: Bus {
    public struct Configuration: Sendable {
        /// `nats://host:port`; several comma-separated URLs for a cluster.
        public var url: String
        /// The connection name nats-server shows (`wfa-graph-processor`, ...).
        public var connectionName: String
        /// How long a stream keeps messages (consumed or not).
        public var maximumAge: Duration
        /// Bytes a stream holds before publishers are refused (and so wait): the bound on the disk.
        public var maximumBytes: Int64
        /// The window in which a repeated `Nats-Msg-Id` is dropped.
        public var duplicateWindow: Duration
        /// The wait for a JetStream reply before an operation fails (and is retried by its caller).
        public var requestTimeout: Duration
        /// The wait between reconnect attempts when the server is gone.
        public var reconnectWait: Duration

        public init(
            url: String,
            connectionName: String = "wfa",
            maximumAge: Duration = .seconds(7 * 86_400),
            maximumBytes: Int64 = 8 << 30,
            duplicateWindow: Duration = .seconds(120),
            requestTimeout: Duration = .seconds(5),
            reconnectWait: Duration = .milliseconds(250)
        ) {
            self.url = url
            self.connectionName = connectionName
            self.maximumAge = maximumAge
            self.maximumBytes = maximumBytes
            self.duplicateWindow = duplicateWindow
            self.requestTimeout = requestTimeout
            self.reconnectWait = reconnectWait
        }
    }

    static let deadLetterStream = "WFA_DEAD"

    public let configuration: Configuration
    private let connection: NATSConnection
    private let publisher: JetStreamContext
    private let publishFailures = PublishFailures()
    private let threads: NIOThreadPool
    private let ensuredStreams = Mutex<Set<String>>([])
    private let logger: Logger

    /// Connects (in the background when the server is not up yet).
    /// - Parameter threads: threads for blocking cnats calls: one per running consumer, plus
    ///   publishers.
    public init(configuration: Configuration, threads: Int = 8, logger: Logger = Logger(label: "wfa.bus")) throws {
        self.configuration = configuration
        self.logger = logger
        self.connection = try NATSConnection(
            url: configuration.url, name: configuration.connectionName, reconnectWait: configuration.reconnectWait)
        let failures = Unmanaged.passUnretained(self.publishFailures).toOpaque()
        self.publisher = try self.connection.jetStream(wait: configuration.requestTimeout) { options in
            options.PublishAsync.ErrHandler = { _, failure, closure in
                guard let failure, let closure else { return }
                let text = failure.pointee.ErrText.map { String(cString: $0) } ?? NATSStatus.text(failure.pointee.Err)
                Unmanaged<PublishFailures>.fromOpaque(closure).takeUnretainedValue()
                    .record(failure.pointee.Msg, reason: text)
            }
            options.PublishAsync.ErrHandlerClosure = failures
            options.PublishAsync.MaxPending = 65_536
        }
        self.threads = NIOThreadPool(numberOfThreads: max(2, threads))
        self.threads.start()
    }

    /// Stops the bus's threads (after every consumer has returned).
    public func shutdown() async throws {
        try await self.threads.shutdownGracefully()
    }

    /// Whether the connection to nats-server is up right now.
    public var isConnected: Bool { self.connection.isConnected }

    // MARK: - Publishing

    public var deliversWithinProcess: Bool { false }

    public func publish(_ messages: [BusMessage]) async throws {
        guard !messages.isEmpty else { return }
        try await self.threads.runIfActive { try self.publishBlocking(messages) }
    }

    private func publishBlocking(_ messages: [BusMessage]) throws {
        for topic in Set(messages.compactMap { BusTopic(subject: $0.subject) }) {
            try self.ensureStream(for: topic)
        }
        let ids = messages.map(\.id)
        self.publishFailures.forget(ids)
        // Each message gives up on its acknowledgement after the request timeout: one lost while the
        // connection was down must not stay pending forever, or every later wait for completion
        // (which covers all pending messages) would time out too.
        var options = jsPubOptions()
        jsPubOptions_Init(&options)
        options.MaxWait = self.configuration.requestTimeout.milliseconds
        for message in messages {
            guard BusTopic(subject: message.subject) != nil else {
                throw BusError("'\(message.subject)' is not a wfa subject (wfa.<topic>.<org>)")
            }
            var handle: OpaquePointer? = try NATSMessage.make(message, headers: ["Nats-Msg-Id": message.id])
            let status = js_PublishMsgAsync(self.publisher.pointer, &handle, &options)
            if status != NATS_OK {
                // Ownership passes to cnats only on success.
                natsMsg_Destroy(handle)
                try NATSStatus.check(status, "publishing to \(message.subject)")
            }
        }
        var completion = jsPubOptions()
        jsPubOptions_Init(&completion)
        completion.MaxWait = self.configuration.requestTimeout.milliseconds
        try NATSStatus.check(
            js_PublishAsyncComplete(self.publisher.pointer, &completion), "waiting for JetStream to store the messages")
        if let reason = self.publishFailures.take(ids) {
            throw BusError("JetStream refused a message: \(reason)")
        }
    }

    // MARK: - Consuming

    public func consume(
        _ topic: BusTopic,
        as configuration: ConsumerConfiguration,
        handler: @escaping @Sendable ([BusMessage]) async throws -> Void
    ) async throws {
        var subscription: PullSubscription?
        var failedFetches = 0
        while !Task.isCancelled {
            do {
                if subscription == nil {
                    subscription = try await self.threads.runIfActive {
                        try self.ensureStream(for: topic)
                        return try self.subscribe(to: topic, as: configuration)
                    }
                }
                guard let current = subscription else { continue }
                let batch = try await self.threads.runIfActive {
                    try current.fetch(configuration.batchSize, timeout: .milliseconds(250))
                }
                failedFetches = 0
                guard !batch.messages.isEmpty else { continue }
                let failures = await BatchDelivery.deliver(batch.messages, to: handler)
                let cancelled = Task.isCancelled
                // Settling runs in its own task so that stopping the consumer cannot cancel it: the
                // batch was handled, and acks skipped now would bring it back only after the
                // acknowledgement wait, holding the backlog up until then.
                try await Task {
                    try await self.threads.runIfActive {
                        self.settle(batch, failures: failures, cancelled: cancelled, configuration: configuration)
                    }
                }.value
            } catch {
                if Task.isCancelled { break }
                failedFetches += 1
                // After the server came back without our consumer (or stream), subscribe anew.
                if failedFetches >= 3 { subscription = nil }
                if failedFetches == 1 || failedFetches % 40 == 0 {
                    self.logger.warning(
                        "bus consumer waiting for NATS",
                        metadata: ["consumer": "\(configuration.name)", "error": "\(error)"])
                }
                try? await Task.sleep(for: self.configuration.reconnectWait)
            }
        }
    }

    public func declare(_ topic: BusTopic, consumer configuration: ConsumerConfiguration) async throws {
        try await self.threads.runIfActive {
            try self.ensureStream(for: topic)
            var info: UnsafeMutablePointer<jsConsumerInfo>?
            var code = jsErrCode(0)
            var status = js_GetConsumerInfo(
                &info, self.publisher.pointer, topic.streamName, configuration.name, nil, &code)
            let exists = status == NATS_OK
            if exists {
                jsConsumerInfo_Destroy(info)
                info = nil
            } else if status != NATS_NOT_FOUND {
                try NATSStatus.check(status, "looking up consumer \(configuration.name)", code)
            }
            // A consumer made by an older wfa (or other settings) is brought to these settings:
            // subscribing with settings that differ from the server's is refused.
            var config = jsConsumerConfig()
            jsConsumerConfig_Init(&config)
            status = configuration.name.withCString { durable in
                topic.wildcard.withCString { subject in
                    Self.configure(&config, durable: durable, subject: subject, configuration)
                    return exists
                        ? js_UpdateConsumer(&info, self.publisher.pointer, topic.streamName, &config, nil, &code)
                        : js_AddConsumer(&info, self.publisher.pointer, topic.streamName, &config, nil, &code)
                }
            }
            try NATSStatus.check(status, "declaring consumer \(configuration.name)", code)
            jsConsumerInfo_Destroy(info)
        }
    }

    /// The consumer settings `declare` and `subscribe` share (they must agree, or cnats refuses).
    private static func configure(
        _ config: inout jsConsumerConfig, durable: UnsafePointer<CChar>, subject: UnsafePointer<CChar>,
        _ configuration: ConsumerConfiguration
    ) {
        config.Durable = durable
        config.FilterSubject = subject
        config.AckPolicy = js_AckExplicit
        config.DeliverPolicy = configuration.startsWithNewMessages ? js_DeliverNew : js_DeliverAll
        if let inactive = configuration.inactiveThreshold { config.InactiveThreshold = inactive.nanoseconds }
        config.AckWait = configuration.acknowledgementWait.nanoseconds
        // Deliveries are counted here: the bus moves a message to the dead letters itself, with
        // the reason, so the server must never give up on it silently.
        config.MaxDeliver = -1
        config.MaxAckPending = Int64(max(1_024, configuration.batchSize * 4))
    }

    private func subscribe(to topic: BusTopic, as configuration: ConsumerConfiguration) throws -> PullSubscription {
        var options = jsSubOptions()
        jsSubOptions_Init(&options)
        var subscription: OpaquePointer?
        var code = jsErrCode(0)
        let status = topic.streamName.withCString { stream in
            configuration.name.withCString { durable in
                topic.wildcard.withCString { subject in
                    options.Stream = stream
                    Self.configure(&options.Config, durable: durable, subject: subject, configuration)
                    return js_PullSubscribe(
                        &subscription, self.publisher.pointer, topic.wildcard, durable, nil, &options, &code)
                }
            }
        }
        try NATSStatus.check(status, "subscribing \(configuration.name) to \(topic.streamName)", code)
        guard let subscription else { throw BusError("cnats returned no subscription") }
        return PullSubscription(pointer: subscription)
    }

    private func settle(
        _ batch: FetchedBatch, failures: [(index: Int, error: any Error)], cancelled: Bool,
        configuration: ConsumerConfiguration
    ) {
        let failed = Dictionary(failures.map { ($0.index, $0.error) }, uniquingKeysWith: { first, _ in first })
        for (index, handle) in batch.handles.enumerated() {
            guard let error = failed[index] else {
                // A lost ack only means a redelivery, which consumers absorb.
                _ = natsMsg_Ack(handle, nil)
                continue
            }
            let attempt = batch.attempts[index]
            if cancelled {
                _ = natsMsg_Nak(handle, nil)
            } else if attempt >= configuration.maximumDeliveries {
                do {
                    try self.publishDeadLetter(
                        batch.messages[index], sequence: batch.streamSequences[index], consumer: configuration.name,
                        reason: String(describing: error), deliveries: attempt)
                    _ = natsMsg_Term(handle, nil)
                } catch {
                    _ = natsMsg_NakWithDelay(handle, configuration.delay(after: attempt).milliseconds, nil)
                }
            } else {
                _ = natsMsg_NakWithDelay(handle, configuration.delay(after: attempt).milliseconds, nil)
            }
        }
    }

    // MARK: - Dead letters

    private func publishDeadLetter(
        _ message: BusMessage, sequence: UInt64, consumer: String, reason: String, deliveries: Int
    ) throws {
        try self.ensureStream(named: Self.deadLetterStream, subjects: "wfa.dead.>")
        let dead = BusMessage(
            id: "dead.\(consumer).\(sequence)", subject: BusTopic("dead").subject(for: consumer),
            payload: message.payload)
        let handle = try NATSMessage.make(
            dead,
            headers: [
                "Nats-Msg-Id": dead.id, "Wfa-Subject": message.subject, "Wfa-Id": message.id,
                "Wfa-Consumer": consumer, "Wfa-Reason": NATSMessage.headerValue(reason),
                "Wfa-Deliveries": "\(deliveries)",
            ])
        defer { natsMsg_Destroy(handle) }
        var code = jsErrCode(0)
        var acknowledgement: UnsafeMutablePointer<jsPubAck>?
        try NATSStatus.check(
            js_PublishMsg(&acknowledgement, self.publisher.pointer, handle, nil, &code), "storing a dead letter",
            code)
        jsPubAck_Destroy(acknowledgement)
    }

    public func deadLetters(limit: Int) async throws -> [DeadLetter] {
        try await self.threads.runIfActive {
            try self.ensureStream(named: Self.deadLetterStream, subjects: "wfa.dead.>")
            let (first, last, _) = try self.state(of: Self.deadLetterStream)
            var letters: [DeadLetter] = []
            var sequence = first
            while sequence <= last, sequence > 0, letters.count < limit {
                if let letter = try self.deadLetter(at: sequence) { letters.append(letter) }
                sequence += 1
            }
            return letters
        }
    }

    public func deadLetterCount() async throws -> Int {
        try await self.threads.runIfActive {
            try self.ensureStream(named: Self.deadLetterStream, subjects: "wfa.dead.>")
            return try self.state(of: Self.deadLetterStream).messages
        }
    }

    public func replayDeadLetter(_ sequence: UInt64) async throws -> Bool {
        try await self.threads.runIfActive {
            try self.ensureStream(named: Self.deadLetterStream, subjects: "wfa.dead.>")
            guard let letter = try self.deadLetter(at: sequence) else { return false }
            if let topic = BusTopic(subject: letter.message.subject) {
                try self.ensureStream(for: topic)
            }
            // A new dedup key: the replay must not be dropped as a repeat of the first delivery;
            // `Wfa-Id` carries the message's own id to the consumer.
            let handle = try NATSMessage.make(
                letter.message,
                headers: ["Nats-Msg-Id": "\(letter.message.id).replay.\(sequence)", "Wfa-Id": letter.message.id])
            defer { natsMsg_Destroy(handle) }
            var code = jsErrCode(0)
            var acknowledgement: UnsafeMutablePointer<jsPubAck>?
            try NATSStatus.check(
                js_PublishMsg(&acknowledgement, self.publisher.pointer, handle, nil, &code), "replaying", code)
            jsPubAck_Destroy(acknowledgement)
            try NATSStatus.check(
                js_DeleteMsg(self.publisher.pointer, Self.deadLetterStream, sequence, nil, &code),
                "removing a replayed dead letter", code)
            return true
        }
    }

    private func deadLetter(at sequence: UInt64) throws -> DeadLetter? {
        var handle: OpaquePointer?
        var code = jsErrCode(0)
        let status = js_GetMsg(&handle, self.publisher.pointer, Self.deadLetterStream, sequence, nil, &code)
        if status == NATS_NOT_FOUND { return nil }
        try NATSStatus.check(status, "reading dead letter \(sequence)", code)
        guard let handle else { return nil }
        defer { natsMsg_Destroy(handle) }
        let header = { (key: String) in NATSMessage.header(key, of: handle) ?? "" }
        let message = BusMessage(
            id: header("Wfa-Id"), subject: header("Wfa-Subject"), payload: NATSMessage.payload(of: handle))
        return DeadLetter(
            sequence: sequence, message: message, consumer: header("Wfa-Consumer"), reason: header("Wfa-Reason"),
            deliveries: Int(header("Wfa-Deliveries")) ?? 0,
            failedAt: Date(timeIntervalSince1970: Double(natsMsg_GetTime(handle)) / 1e9))
    }

    // MARK: - Backlog

    public func status(of topic: BusTopic, consumer name: String) async throws -> ConsumerStatus {
        try await self.threads.runIfActive {
            try self.ensureStream(for: topic)
            var info: UnsafeMutablePointer<jsConsumerInfo>?
            var code = jsErrCode(0)
            let status = js_GetConsumerInfo(&info, self.publisher.pointer, topic.streamName, name, nil, &code)
            if status == NATS_NOT_FOUND {
                return ConsumerStatus(backlog: try self.state(of: topic.streamName).messages, redelivering: 0)
            }
            try NATSStatus.check(status, "reading consumer \(name)", code)
            guard let info else { return ConsumerStatus(backlog: 0, redelivering: 0) }
            defer { jsConsumerInfo_Destroy(info) }
            return ConsumerStatus(
                backlog: Int(info.pointee.NumPending) + Int(info.pointee.NumAckPending),
                redelivering: Int(info.pointee.NumRedelivered))
        }
    }

    // MARK: - Streams

    private func ensureStream(for topic: BusTopic) throws {
        try self.ensureStream(named: topic.streamName, subjects: topic.wildcard)
    }

    private func ensureStream(named name: String, subjects: String) throws {
        if self.ensuredStreams.withLock({ $0.contains(name) }) { return }
        var code = jsErrCode(0)
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var status = js_GetStreamInfo(&info, self.publisher.pointer, name, nil, &code)
        if status == NATS_NOT_FOUND {
            var config = jsStreamConfig()
            jsStreamConfig_Init(&config)
            status = name.withCString { streamName in
                subjects.withCString { subject in
                    var subjectList: [UnsafePointer<CChar>?] = [subject]
                    return subjectList.withUnsafeMutableBufferPointer { list in
                        config.Name = streamName
                        config.Subjects = list.baseAddress
                        config.SubjectsLen = 1
                        config.Storage = js_FileStorage
                        config.Retention = js_LimitsPolicy
                        // Refuse rather than drop: a full stream makes publishers wait, it never
                        // discards events nobody consumed yet.
                        config.Discard = js_DiscardNew
                        config.MaxAge = self.configuration.maximumAge.nanoseconds
                        config.MaxBytes = self.configuration.maximumBytes
                        config.Duplicates = self.configuration.duplicateWindow.nanoseconds
                        return js_AddStream(&info, self.publisher.pointer, &config, nil, &code)
                    }
                }
            }
            // Another process may have created it between the two calls.
            if status != NATS_OK {
                status = js_GetStreamInfo(&info, self.publisher.pointer, name, nil, &code)
            }
        }
        try NATSStatus.check(status, "setting up stream \(name)", code)
        jsStreamInfo_Destroy(info)
        _ = self.ensuredStreams.withLock { $0.insert(name) }
    }

    /// A stream's first and last sequence and how many messages it holds.
    private func state(of stream: String) throws -> (first: UInt64, last: UInt64, messages: Int) {
        var info: UnsafeMutablePointer<jsStreamInfo>?
        var code = jsErrCode(0)
        try NATSStatus.check(
            js_GetStreamInfo(&info, self.publisher.pointer, stream, nil, &code), "reading stream \(stream)", code)
        guard let info else { return (0, 0, 0) }
        defer { jsStreamInfo_Destroy(info) }
        return (info.pointee.State.FirstSeq, info.pointee.State.LastSeq, Int(info.pointee.State.Msgs))
    }
}

/// Failures cnats reports for asynchronous publishes, by message id, until the publisher that
/// sent the message collects them.
final class PublishFailures: Sendable {
    private let failures = Mutex<[String: String]>([:])

    func record(_ message: OpaquePointer?, reason: String) {
        guard let message, let id = NATSMessage.header("Nats-Msg-Id", of: message) else { return }
        self.failures.withLock { $0[id] = reason }
    }

    func forget(_ ids: [String]) {
        self.failures.withLock { failures in
            for id in ids { failures.removeValue(forKey: id) }
        }
    }

    /// The first failure among `ids`, removing them all.
    func take(_ ids: [String]) -> String? {
        self.failures.withLock { failures in
            var first: String?
            for id in ids {
                if let reason = failures.removeValue(forKey: id), first == nil { first = reason }
            }
            return first
        }
    }
}

/// A durable pull subscription.
final class PullSubscription: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        // Destroy without unsubscribing: unsubscribing would delete the durable consumer.
        natsSubscription_Destroy(self.pointer)
    }

    /// Up to `count` messages; none when nothing arrived within `timeout`.
    func fetch(_ count: Int, timeout: Duration) throws -> FetchedBatch {
        var list = natsMsgList()
        var code = jsErrCode(0)
        let status = natsSubscription_Fetch(&list, self.pointer, Int32(count), timeout.milliseconds, &code)
        if status == NATS_TIMEOUT { return FetchedBatch(list: natsMsgList()) }
        try NATSStatus.check(status, "fetching", code)
        return FetchedBatch(list: list)
    }
}

/// Messages fetched from a pull subscription: cnats' handles (kept for the acks) and their copies.
final class FetchedBatch: @unchecked Sendable {
    private var list: natsMsgList
    let handles: [OpaquePointer]
    let messages: [BusMessage]
    /// Delivery number of each message (1 on first delivery).
    let attempts: [Int]
    let streamSequences: [UInt64]

    init(list: natsMsgList) {
        self.list = list
        var handles: [OpaquePointer] = []
        var messages: [BusMessage] = []
        var attempts: [Int] = []
        var sequences: [UInt64] = []
        for index in 0..<Int(list.Count) {
            guard let handle = list.Msgs?[index] else { continue }
            handles.append(handle)
            let subject = natsMsg_GetSubject(handle).map { String(cString: $0) } ?? ""
            let id = NATSMessage.header("Wfa-Id", of: handle) ?? NATSMessage.header("Nats-Msg-Id", of: handle) ?? ""
            messages.append(BusMessage(id: id, subject: subject, payload: NATSMessage.payload(of: handle)))
            var metadata: UnsafeMutablePointer<jsMsgMetaData>?
            if natsMsg_GetMetaData(&metadata, handle) == NATS_OK, let metadata {
                attempts.append(Int(metadata.pointee.NumDelivered))
                sequences.append(metadata.pointee.Sequence.Stream)
                jsMsgMetaData_Destroy(metadata)
            } else {
                attempts.append(1)
                sequences.append(0)
            }
        }
        self.handles = handles
        self.messages = messages
        self.attempts = attempts
        self.streamSequences = sequences
    }

    deinit {
        natsMsgList_Destroy(&self.list)
    }
}

/// Building and reading cnats messages.
enum NATSMessage {
    static func make(_ message: BusMessage, headers: [String: String]) throws -> OpaquePointer {
        var handle: OpaquePointer?
        let status = message.payload.withUnsafeBufferPointer { bytes in
            bytes.withMemoryRebound(to: CChar.self) { characters in
                natsMsg_Create(&handle, message.subject, nil, characters.baseAddress, Int32(characters.count))
            }
        }
        try NATSStatus.check(status, "building a message for \(message.subject)")
        guard let handle else { throw BusError("cnats returned no message") }
        for (key, value) in headers {
            let status = natsMsgHeader_Set(handle, key, value)
            if status != NATS_OK {
                natsMsg_Destroy(handle)
                try NATSStatus.check(status, "setting header \(key)")
            }
        }
        return handle
    }

    static func header(_ key: String, of handle: OpaquePointer) -> String? {
        var value: UnsafePointer<CChar>?
        guard natsMsgHeader_Get(handle, key, &value) == NATS_OK, let value else { return nil }
        return String(cString: value)
    }

    static func payload(of handle: OpaquePointer) -> [UInt8] {
        let count = Int(natsMsg_GetDataLength(handle))
        guard count > 0, let data = natsMsg_GetData(handle) else { return [] }
        return data.withMemoryRebound(to: UInt8.self, capacity: count) {
            Array(UnsafeBufferPointer(start: $0, count: count))
        }
    }

    /// A header value holds one line of printable text.
    static func headerValue(_ text: String) -> String {
        String(
            text.prefix(1_000).map { $0.isNewline || !($0.isASCII) ? " " : $0 })
    }
}
