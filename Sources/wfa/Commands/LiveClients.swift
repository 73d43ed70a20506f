import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOWebSocket
import Synchronization
import WFACore
import WFADispatcher
import WFAHTTP
import WFAMessaging

/// The browsers of `wfa bench incidents --live-clients`: a dispatcher and a `/ws` server on
/// loopback, and that many WebSocket clients connected to it, every one but the last reading.
/// The last never reads, so its socket fills and the dispatcher must drop its messages (the
/// behaviour under test: it must not slow the engine or the other clients).
struct LiveClients {
    struct Report {
        var connected: Int
        /// Incident events each reading client received (fewest, most).
        var received: (min: Int, max: Int)
        /// From the newest event's time in an incident to a client holding the update.
        var latencies: [Duration]
        var droppedForSlowClients: Int
    }

    /// What the readers saw, shared with their tasks.
    final class Tally: Sendable {
        let received: Mutex<[Int]>
        let latencies = Mutex<[Duration]>([])

        init(readers: Int) { self.received = Mutex(Array(repeating: 0, count: readers)) }
    }

    private let hub: DispatchHub
    private let tasks: [Task<Void, any Error>]
    private let tally: Tally
    private let silent: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    /// Starts the dispatcher (consuming `.incidents` of `bus`) and the server, and connects `count` clients.
    static func start(count: Int, bus: any Bus, org: Org.ID, logger: Logger) async throws -> LiveClients {
        let hub = DispatchHub()
        let dispatcher = Dispatcher(bus: bus, hub: hub, logger: logger)
        // Declared before the run starts publishing, so the clients see every incident event.
        try await bus.declare(.incidents, consumer: dispatcher.consumer)
        let route = LiveRoute(hub: hub) { token in token == "bench" ? org : nil }
        let server = try await HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, maximumConnections: count + 16, webSocket: route.route),
            responder: ClosureResponder { _, _ in HTTPServerResponse(status: .notFound, body: "") }, logger: logger)
        var tasks = [
            Task { try await dispatcher.run() },
            Task { try await server.run() },
        ]
        var channels: [NIOAsyncChannel<WebSocketFrame, WebSocketFrame>] = []
        for _ in 0..<count {
            guard
                case .upgraded(let channel) = try await WebSocketClient.connect(
                    port: server.localPort, path: "/ws?access_token=bench")
            else { throw CommandError(description: "the dispatcher refused a benchmark client") }
            channels.append(channel)
        }
        let tally = Tally(readers: count - 1)
        for (index, channel) in channels.dropLast().enumerated() {
            // One reader in ten also times what it receives; all of them read every frame.
            let timing = index % 10 == 0
            tasks.append(
                Task {
                    try await channel.executeThenClose { inbound, _ in
                        for try await frame in inbound where frame.opcode == .text {
                            // Sorted keys: an incident message starts with its event, a heartbeat with its time.
                            guard frame.data.readableBytesView.starts(with: Self.incidentPrefix) else { continue }
                            tally.received.withLock { $0[index] += 1 }
                            if timing, let latency = Self.latency(of: String(buffer: frame.data)) {
                                tally.latencies.withLock { $0.append(latency) }
                            }
                        }
                    }
                })
        }
        let silent = channels[channels.count - 1]
        return LiveClients(hub: hub, tasks: tasks, tally: tally, silent: silent)
    }

    static let incidentPrefix = Array(#"{"event":"#.utf8)

    /// Now minus the incident's `updated_at` (the newest event it holds, in the benchmark).
    private static func latency(of text: String) -> Duration? {
        guard let range = text.range(of: #""updated_at":""#) else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\""), let updated = TimestampFormat.date(from: rest[..<end]) else {
            return nil
        }
        return .microseconds(Int64(Date().timeIntervalSince(updated) * 1_000_000))
    }

    func finish() async -> Report {
        // Let the last announcements reach the readers.
        try? await Task.sleep(for: .seconds(2))
        let received = self.tally.received.withLock { $0 }
        let report = Report(
            connected: await self.hub.clientCount, received: (received.min() ?? 0, received.max() ?? 0),
            latencies: self.tally.latencies.withLock { $0 }, droppedForSlowClients: await self.hub.droppedMessages)
        try? await self.silent.channel.close()
        for task in self.tasks { task.cancel() }
        return report
    }
}
