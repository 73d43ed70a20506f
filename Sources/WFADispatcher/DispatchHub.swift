public import Foundation
public import NIOCore
public import WFACore

/// The live clients of one process and what each is owed.
///
/// Every client has its own bounded buffer: a browser's is its socket's (``LiveRoute``), a stream
/// client's holds ``bufferSize`` batches. Publishing never waits on a client: when a client's
/// buffer is full the message is dropped for that client only and counted, and the client gets a
/// `lagged` notice (with how many it missed) before its next message. So one slow browser never
/// slows the pipeline or the other clients.
public actor DispatchHub {
    public typealias ClientID = UUID

    /// What a client can subscribe to.
    public enum Topic: String, Sendable, Hashable, CaseIterable, Codable {
        case incidents
        case health
        /// The sampled live artifact feed (``ArtifactFeed``); only on request.
        case artifacts
    }

    /// Messages on their way to a client, already JSON text, sent together: what one publish
    /// brings a client goes out as one write, not one wake-up and one flush per message.
    public struct Outbound: Sendable, Hashable {
        /// Each message's UTF-8 bytes, encoded once and shared by every client it goes to.
        public var messages: [ByteBuffer]
        public var texts: [String] { self.messages.map { String(buffer: $0) } }
    }

    /// Where a client's messages go. ``offer(_:)`` never waits: false means the client cannot take
    /// the batch now, and it is dropped for that client.
    public protocol Sink: Sendable {
        func offer(_ batch: Outbound) -> Bool
        /// The hub let go of the client; no more batches come.
        func finish()
    }

    private struct Client {
        var org: Org.ID
        var topics: Set<Topic>
        var sink: any Sink
        var missed = 0
    }

    /// Batches a stream client may have waiting before it starts missing messages.
    public let bufferSize: Int
    private var clients: [ClientID: Client] = [:]
    /// Messages dropped because a client's buffer was full, over the hub's life.
    public private(set) var droppedMessages = 0

    public init(bufferSize: Int = 256) {
        self.bufferSize = max(bufferSize, 1)
    }

    public var clientCount: Int { self.clients.count }

    /// Registers a client of `org` whose batches are written to `sink` until it is removed.
    public func connect(org: Org.ID, topics: Set<Topic> = [.incidents, .health], sink: any Sink) -> ClientID {
        let id = ClientID()
        self.clients[id] = Client(org: org, topics: topics, sink: sink)
        return id
    }

    /// Registers a client of `org` that reads its batches from a stream holding at most
    /// ``bufferSize`` of them; it receives `topics` until it is removed or stops iterating.
    public func connect(org: Org.ID, topics: Set<Topic> = [.incidents, .health]) -> (
        ClientID, AsyncStream<Outbound>
    ) {
        let (stream, continuation) = AsyncStream<Outbound>.makeStream(
            bufferingPolicy: .bufferingOldest(self.bufferSize))
        let id = self.connect(org: org, topics: topics, sink: StreamSink(continuation: continuation))
        continuation.onTermination = { [weak self] _ in
            Task { await self?.disconnect(id) }
        }
        return (id, stream)
    }

    public func disconnect(_ id: ClientID) {
        self.clients.removeValue(forKey: id)?.sink.finish()
    }

    public func subscribe(_ id: ClientID, to topics: Set<Topic>) {
        self.clients[id]?.topics = topics
    }

    /// Sends an incident event to the clients of its org that subscribed to incidents.
    public func publish(_ event: IncidentEvent) {
        self.publish([event])
    }

    /// Sends incident events to the clients of their orgs that subscribed to incidents, each
    /// client's share as one batch.
    public func publish(_ events: [IncidentEvent]) {
        self.publish(events.map(LiveIncidentEvent.init))
    }

    func publish(_ events: [LiveIncidentEvent]) {
        for (org, ofOrg) in Dictionary(grouping: events, by: \.incident.orgID) {
            let texts = ofOrg.compactMap { Self.json(LiveMessage(type: "incident", event: $0)) }
            self.send(texts, topic: .incidents) { $0.org == org }
        }
    }

    /// The orgs with at least one client subscribed to `topic`.
    public func orgs(subscribedTo topic: Topic) -> Set<Org.ID> {
        Set(self.clients.values.filter { $0.topics.contains(topic) }.map(\.org))
    }

    /// Sends sampled artifacts of `org` to its clients that subscribed to the feed, one message each.
    public func publish(_ artifacts: [LiveArtifact], to org: Org.ID) {
        let texts = artifacts.compactMap { Self.json(LiveMessage(type: "artifact", artifact: $0)) }
        self.send(texts, topic: .artifacts) { $0.org == org }
    }

    /// Sends a heartbeat with the process's health to every client that subscribed to health.
    public func heartbeat(at time: Date = Date(), status: String = "ok") {
        guard let text = Self.json(LiveMessage.heartbeat(at: time, status: status, clients: self.clients.count)) else {
            return
        }
        self.send([text], topic: .health) { _ in true }
    }

    private func send(_ texts: [ByteBuffer], topic: Topic, to include: (Client) -> Bool) {
        guard !texts.isEmpty else { return }
        for (id, client) in self.clients where client.topics.contains(topic) && include(client) {
            var batch = texts
            if client.missed > 0, let notice = Self.json(LiveMessage.lagged(missed: client.missed)) {
                batch.insert(notice, at: 0)
            }
            if client.sink.offer(Outbound(messages: batch)) {
                self.clients[id]?.missed = 0
            } else {
                self.clients[id]?.missed += texts.count
                self.droppedMessages += texts.count
            }
        }
    }

    static func json(_ message: LiveMessage) -> ByteBuffer? {
        (try? WireFormat.makeEncoder().encode(message)).map { ByteBuffer(bytes: $0) }
    }
}

/// What a browser receives on `/ws`, one JSON object per WebSocket message, told apart by `type`.
struct LiveMessage: Encodable {
    var type: String
    var event: LiveIncidentEvent?
    var artifact: LiveArtifact?
    var at: Date?
    var status: String?
    var clients: Int?
    var missed: Int?

    static func heartbeat(at time: Date, status: String, clients: Int) -> Self {
        Self(type: "heartbeat", at: time, status: status, clients: clients)
    }

    static func lagged(missed: Int) -> Self { Self(type: "lagged", missed: missed) }
}

/// A client that reads its batches from an `AsyncStream`, which holds at most the hub's
/// ``DispatchHub/bufferSize`` of them.
struct StreamSink: DispatchHub.Sink {
    let continuation: AsyncStream<DispatchHub.Outbound>.Continuation

    func offer(_ batch: DispatchHub.Outbound) -> Bool {
        if case .dropped = self.continuation.yield(batch) { return false }
        return true
    }

    func finish() { self.continuation.finish() }
}
