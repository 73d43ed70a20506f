import ArgumentParser
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
/// loopback, and that many WebSocket clients connected to it, every one but the last reading
/// (``LiveReaders``). The last never reads, so its socket fills and the dispatcher must drop its
/// messages (the behaviour under test: it must not slow the engine or the other clients).
///
/// The readers run in this process, or in a child process in the idle scheduling class: browsers
/// run on other machines, and on a two-core host their reading otherwise competes with the
/// engine for the same cores. The server's side of every delivery stays in this process either way.
struct LiveClients {
    struct Report {
        var connected: Int
        /// Incident events each reading client received (fewest, most).
        var received: (min: Int, max: Int)
        /// From the newest event's time in an incident to a client holding the update.
        var latencies: [Duration]
        var droppedForSlowClients: Int
    }

    private enum Readers {
        case inProcess(LiveReaders)
        case child(ReaderProcess)
    }

    private let hub: DispatchHub
    private let tasks: [Task<Void, any Error>]
    private let readers: Readers

    /// Starts the dispatcher (consuming `.incidents` of `bus`) and the server, and connects `count`
    /// clients, in a child process when `separately`.
    static func start(count: Int, separately: Bool, bus: any Bus, org: Org.ID, logger: Logger) async throws
        -> LiveClients
    {
        let hub = DispatchHub()
        let dispatcher = Dispatcher(bus: bus, hub: hub, logger: logger)
        // Declared before the run starts publishing, so the clients see every incident event.
        try await bus.declare(.incidents, consumer: dispatcher.consumer)
        let route = LiveRoute(hub: hub) { token in token == LiveReaders.token ? org : nil }
        let server = try await HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0, maximumConnections: count + 16, webSocket: route.route),
            responder: ClosureResponder { _, _ in HTTPServerResponse(status: .notFound, body: "") }, logger: logger)
        let tasks = [
            Task { try await dispatcher.run() },
            Task { try await server.run() },
        ]
        let readers: Readers
        if separately {
            readers = .child(try ReaderProcess.launch(count: count, port: server.localPort))
            let deadline = ContinuousClock.now + .seconds(30)
            while await hub.clientCount < count {
                guard ContinuousClock.now < deadline else {
                    throw CommandError(description: "the reader process connected \(await hub.clientCount) of \(count)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
        } else {
            readers = .inProcess(try await LiveReaders.connect(count: count, port: server.localPort))
        }
        return LiveClients(hub: hub, tasks: tasks, readers: readers)
    }

    func finish() async throws -> Report {
        // Let the last announcements reach the readers.
        try? await Task.sleep(for: .seconds(2))
        let connected = await self.hub.clientCount
        let readers: LiveReaders.Report
        switch self.readers {
        case .inProcess(let inProcess): readers = await inProcess.finish()
        case .child(let child): readers = try await child.finish()
        }
        for task in self.tasks { task.cancel() }
        return Report(
            connected: connected, received: (readers.received.min() ?? 0, readers.received.max() ?? 0),
            latencies: readers.latencyMicroseconds.map { .microseconds($0) },
            droppedForSlowClients: await self.hub.droppedMessages)
    }
}

/// `count` WebSocket clients of a `/ws` server on loopback, every one but the last reading and one
/// reader in ten timing what it receives.
struct LiveReaders {
    struct Report: Codable, Sendable {
        /// Incident events each reader received.
        var received: [Int]
        var latencyMicroseconds: [Int64]
    }

    /// What the readers saw, shared with their tasks.
    private final class Tally: Sendable {
        let received: Mutex<[Int]>
        let latencies = Mutex<[Int64]>([])

        init(readers: Int) { self.received = Mutex(Array(repeating: 0, count: readers)) }
    }

    static let token = "bench"

    private let tasks: [Task<Void, any Error>]
    private let tally: Tally
    private let silent: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    static func connect(count: Int, port: Int) async throws -> LiveReaders {
        var channels: [NIOAsyncChannel<WebSocketFrame, WebSocketFrame>] = []
        for _ in 0..<count {
            guard
                case .upgraded(let channel) = try await WebSocketClient.connect(
                    port: port, path: "/ws?access_token=\(Self.token)")
            else { throw CommandError(description: "the dispatcher refused a benchmark client") }
            channels.append(channel)
        }
        let tally = Tally(readers: count - 1)
        var tasks: [Task<Void, any Error>] = []
        for (index, channel) in channels.dropLast().enumerated() {
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
        return LiveReaders(tasks: tasks, tally: tally, silent: channels[channels.count - 1])
    }

    private static let incidentPrefix = Array(#"{"event":"#.utf8)

    /// Now minus the incident's `updated_at` (the newest event it holds, in the benchmark), in
    /// microseconds of wall-clock time, which the benchmark and a reader process share.
    private static func latency(of text: String) -> Int64? {
        guard let range = text.range(of: #""updated_at":""#) else { return nil }
        let rest = text[range.upperBound...]
        guard let end = rest.firstIndex(of: "\""), let updated = TimestampFormat.date(from: rest[..<end]) else {
            return nil
        }
        return Int64(Date().timeIntervalSince(updated) * 1_000_000)
    }

    func finish() async -> Report {
        try? await self.silent.channel.close()
        for task in self.tasks { task.cancel() }
        return Report(
            received: self.tally.received.withLock { $0 }, latencyMicroseconds: self.tally.latencies.withLock { $0 })
    }
}

/// `wfa bench ws-readers` as a child: it reads until its standard input closes, then prints its
/// ``LiveReaders/Report`` as one JSON line.
private final class ReaderProcess: Sendable {
    private let process: Process
    private let input: Pipe
    private let output: Pipe

    private init(process: Process, input: Pipe, output: Pipe) {
        self.process = process
        self.input = input
        self.output = output
    }

    static func launch(count: Int, port: Int) throws -> ReaderProcess {
        let process = Process()
        let wfa = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
        // Stand-ins for browsers on other machines get only the CPU nothing else wants: the idle
        // scheduling class, set before the child starts so that every thread it makes inherits it
        // (a nice value set from inside reaches only the calling thread on Linux).
        process.executableURL = URL(fileURLWithPath: "/usr/bin/chrt")
        process.arguments = ["--idle", "0", wfa, "bench", "ws-readers", "--port", "\(port)", "--count", "\(count)"]
        let input = Pipe()
        let output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        try process.run()
        return ReaderProcess(process: process, input: input, output: output)
    }

    func finish() async throws -> LiveReaders.Report {
        try self.input.fileHandleForWriting.close()
        // Blocking reads, off the cooperative pool.
        let data = await withCheckedContinuation { continuation in
            Thread {
                let data = self.output.fileHandleForReading.readDataToEndOfFile()
                self.process.waitUntilExit()
                continuation.resume(returning: data)
            }.start()
        }
        guard self.process.terminationStatus == 0 else {
            throw CommandError(description: "the reader process failed (exit status \(self.process.terminationStatus))")
        }
        return try JSONDecoder().decode(LiveReaders.Report.self, from: data)
    }
}

extension BenchCommand {
    /// The reading clients of `wfa bench incidents --live-clients N --separate-clients`.
    struct WebSocketReaders: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "ws-readers",
            abstract: "WebSocket clients for `wfa bench incidents --separate-clients` (started by it).",
            discussion: """
                Connects --count clients to /ws on loopback at --port, every one but the last reading \
                (started in the idle scheduling class). Reads until standard input closes, then prints what the clients \
                received as one JSON line.
                """,
            shouldDisplay: false)

        @Option(help: "The /ws server's port on 127.0.0.1.") var port: Int
        @Option(help: "Clients to connect (the last never reads).") var count: Int

        func validate() throws {
            guard self.count >= 1, (1...65_535).contains(self.port) else {
                throw ValidationError("--count must be positive and --port a TCP port")
            }
        }

        func run() async throws {
            let readers = try await LiveReaders.connect(count: self.count, port: self.port)
            await withCheckedContinuation { continuation in
                Thread {
                    _ = FileHandle.standardInput.readDataToEndOfFile()
                    continuation.resume()
                }.start()
            }
            let report = await readers.finish()
            FileHandle.standardOutput.write(try JSONEncoder().encode(report) + Data("\n".utf8))
        }
    }
}
