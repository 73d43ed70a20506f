import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import Testing
import WFACore
import WFADispatcher
import WFAHTTP
import WFAMessaging
import WFATestSupport

/// Live updates: the hub's bounded per-client buffers, and `/ws` end to end with a real client.
struct DispatcherTests {
    static func event(_ org: Org.ID, title: String = "SSH brute force from 203.0.113.9") -> IncidentEvent {
        let incident = Incident(
            orgID: org, title: title, severity: .high, firstObservedAt: Date(), lastObservedAt: Date())
        return IncidentEvent(
            kind: .created, incident: incident,
            activities: [IncidentActivity(.created, by: IncidentActivity.engine, at: Date())])
    }

    static func type(of text: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])?["type"] as? String
    }

    /// The messages of a client's batches, one by one.
    struct Messages {
        var batches: AsyncStream<DispatchHub.Outbound>.AsyncIterator
        var pending: [String] = []

        init(_ stream: AsyncStream<DispatchHub.Outbound>) { self.batches = stream.makeAsyncIterator() }

        mutating func next() async -> String? {
            while self.pending.isEmpty {
                guard let batch = await self.batches.next() else { return nil }
                self.pending = batch.texts
            }
            return self.pending.removeFirst()
        }
    }

    @Test("a client that does not read misses messages and is told how many; others and the publisher never wait")
    func slowClientLags() async throws {
        let hub = DispatchHub(bufferSize: 2)
        let (_, slow) = await hub.connect(org: "acme", topics: [.incidents])
        let (_, other) = await hub.connect(org: "globex", topics: [.incidents])
        for index in 0..<10 { await hub.publish(Self.event("acme", title: "incident \(index)")) }
        await hub.publish(Self.event("globex"))

        var messages = Messages(slow)
        let first = try #require(await messages.next())
        let second = try #require(await messages.next())
        #expect(first.contains("incident 0") && second.contains("incident 1"))
        await hub.publish(Self.event("acme", title: "incident 10"))
        let notice = try #require(await messages.next())
        #expect(Self.type(of: notice) == "lagged" && notice.contains(#""missed":8"#), "\(notice)")
        #expect(try #require(await messages.next()).contains("incident 10"))
        #expect(await hub.droppedMessages == 8)

        var theirs = Messages(other)
        let only = try #require(await theirs.next())
        #expect(!only.contains("incident 0"), "another org's incidents never reach it")
    }

    static let logger = Logger(label: "dispatcher-test")

    /// A server with `/ws` whose tokens are "acme-token" and "globex-token".
    static func withServer(
        heartbeat: Duration = .milliseconds(200), _ body: (HTTPServer, InProcessBus, DispatchHub) async throws -> Void
    ) async throws {
        let bus = InProcessBus()
        let dispatcher = Dispatcher(bus: bus, hub: DispatchHub(), heartbeat: heartbeat, logger: Self.logger)
        let live = LiveRoute(hub: dispatcher.hub, allowedOrigins: ["https://soc.example.com"]) { token in
            ["acme-token": "acme", "globex-token": "globex"][token].map { Org.ID($0) }
        }
        let responder = ClosureResponder { request, _ in
            HTTPServerResponse(status: await live.refusal(for: request.head) ?? .notFound, body: "no")
        }
        let server = try await HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, webSocket: live.route), responder: responder,
            logger: Self.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            group.addTask { try await dispatcher.run() }
            try await bus.declare(.incidents, consumer: dispatcher.consumer)
            try await body(server, bus, dispatcher.hub)
            server.shutDownGracefully()
            group.cancelAll()
            try? await group.waitForAll()
        }
    }

    static func next(
        _ frames: inout NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator, type wanted: String
    ) async throws -> [String: Any] {
        while let frame = try await frames.next() {
            let object = try JSONSerialization.jsonObject(with: Data(String(buffer: frame.unmaskedData).utf8))
            if let message = object as? [String: Any], message["type"] as? String == wanted { return message }
        }
        throw WebSocketFailure.closed
    }

    enum WebSocketFailure: Error { case refused, closed }

    @Test("/ws needs a valid token and an allowed Origin; a client gets its org's incidents and heartbeats")
    func liveUpdates() async throws {
        try await Self.withServer { server, bus, _ in
            let port = server.localPort
            guard case .refused = try await WebSocketClient.connect(port: port, path: "/ws") else {
                Issue.record("accepted without a token")
                return
            }
            guard
                case .refused = try await WebSocketClient.connect(
                    port: port, path: "/ws?access_token=acme-token", headers: [("Origin", "https://evil.example")])
            else {
                Issue.record("accepted from a foreign Origin")
                return
            }
            let raw = RawHTTPClient(port: port)
            let (refused, _) = try await raw.send(
                "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                expecting: 1)
            #expect(refused.hasPrefix("HTTP/1.1 401"))

            guard
                case .upgraded(let acme) = try await WebSocketClient.connect(
                    port: port, path: "/ws?access_token=acme-token", headers: [("Origin", "https://soc.example.com")]),
                case .upgraded(let globex) = try await WebSocketClient.connect(
                    port: port, path: "/ws", headers: [("Authorization", "Bearer globex-token")])
            else { throw WebSocketFailure.refused }

            try await acme.executeThenClose { acmeFrames, _ in
                try await globex.executeThenClose { globexFrames, _ in
                    var frames = acmeFrames.makeAsyncIterator()
                    var theirs = globexFrames.makeAsyncIterator()
                    // Both are connected once each has had a heartbeat.
                    _ = try await Self.next(&frames, type: "heartbeat")
                    _ = try await Self.next(&theirs, type: "heartbeat")
                    try await bus.publish([try BusMessage.incidentEvent(Self.event("acme"))])
                    try await bus.publish([try BusMessage.incidentEvent(Self.event("globex", title: "theirs"))])
                    let mine = try await Self.next(&frames, type: "incident")
                    let incident = (mine["event"] as? [String: Any])?["incident"] as? [String: Any]
                    #expect(incident?["title"] as? String == "SSH brute force from 203.0.113.9")
                    #expect(
                        incident?["lead_count"] as? Int == 0 && incident?["leads"] == nil,
                        "a headline, not the document")
                    let other = try await Self.next(&theirs, type: "incident")
                    #expect(
                        ((other["event"] as? [String: Any])?["incident"] as? [String: Any])?["title"] as? String
                            == "theirs")
                }
            }
        }
    }

    /// Which incidents one browser received, told by their numbered titles.
    actor Received {
        private(set) var highest = -1
        private(set) var notices = 0
        private(set) var gaps: [String] = []
        private var expected = 0

        /// Reads incidents "incident N" and lagged notices until the frames end: every number must be
        /// the next one, or follow a notice that says exactly how many were missed before it.
        func read(_ frames: NIOAsyncChannelInboundStream<WebSocketFrame>) async throws {
            for try await frame in frames {
                let object = try JSONSerialization.jsonObject(with: Data(String(buffer: frame.unmaskedData).utf8))
                guard let message = object as? [String: Any] else { continue }
                switch message["type"] as? String {
                case "lagged":
                    self.notices += 1
                    self.expected += message["missed"] as? Int ?? 0
                case "incident":
                    let incident = (message["event"] as? [String: Any])?["incident"] as? [String: Any]
                    let title = incident?["title"] as? String ?? ""
                    let number = Int(title.split(separator: " ").dropFirst().first ?? "") ?? -1
                    if number != self.expected { self.gaps.append("expected \(self.expected), got \(number)") }
                    self.expected = number + 1
                    self.highest = number
                default: continue
                }
            }
        }
    }

    @Test(
        "over a real socket, a browser that stops reading misses incidents and is told exactly how many; the publisher never waits"
    )
    func silentBrowserLags() async throws {
        try await Self.withServer(heartbeat: .seconds(3600)) { server, _, hub in
            guard
                case .upgraded(let silent) = try await WebSocketClient.connect(
                    port: server.localPort, path: "/ws?access_token=acme-token"),
                case .upgraded(let reader) = try await WebSocketClient.connect(
                    port: server.localPort, path: "/ws?access_token=acme-token")
            else { throw WebSocketFailure.refused }
            while await hub.clientCount < 2 { try await Task.sleep(for: .milliseconds(10)) }

            // Titles this long fill the silent browser's socket buffers after a few hundred.
            let padding = String(repeating: "x", count: 32 * 1024)
            func publish(_ number: Int) async {
                await hub.publish(Self.event("acme", title: "incident \(number) \(padding)"))
            }

            let (silentLog, readerLog) = (Received(), Received())
            try await silent.executeThenClose { silentFrames, _ in
                try await reader.executeThenClose { readerFrames, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await readerLog.read(readerFrames) }
                        // In step with the reading browser, so only the silent one can fall behind.
                        var next = 0
                        while await hub.droppedMessages == 0 && next < 2_000 {
                            await publish(next)
                            while await readerLog.highest < next { try await Task.sleep(for: .milliseconds(1)) }
                            next += 1
                        }
                        #expect(await hub.droppedMessages > 0, "\(next) incidents and none dropped")
                        // Now the silent browser reads again: it must hear what it missed, then catch up.
                        group.addTask { try await silentLog.read(silentFrames) }
                        let caughtUpAt = next
                        let deadline = ContinuousClock.now + .seconds(20)
                        while ContinuousClock.now < deadline {
                            let (silentHighest, readerHighest) = (await silentLog.highest, await readerLog.highest)
                            if silentHighest >= caughtUpAt && readerHighest >= caughtUpAt { break }
                            await publish(next)
                            next += 1
                            try await Task.sleep(for: .milliseconds(20))
                        }
                        let (silentHighest, readerHighest) = (await silentLog.highest, await readerLog.highest)
                        #expect(silentHighest >= caughtUpAt, "the silent browser caught up")
                        #expect(readerHighest >= caughtUpAt, "the reading browser kept up")
                        group.cancelAll()
                    }
                }
            }
            let (notices, silentGaps) = (await silentLog.notices, await silentLog.gaps)
            let (readerNotices, readerGaps) = (await readerLog.notices, await readerLog.gaps)
            #expect(notices > 0, "the silent browser was told it lagged")
            #expect(silentGaps.isEmpty, "every gap follows a notice of exactly its size: \(silentGaps)")
            #expect(readerGaps.isEmpty && readerNotices == 0, "the reading browser got every incident")
        }
    }
}
