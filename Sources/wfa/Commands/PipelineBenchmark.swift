import ArgumentParser
import Foundation
import Logging
import WFACore
import WFAGraph
import WFAIngestion
import WFAMessaging
import WFAPostgres
import WFAStorage

extension BenchCommand {
    /// `wfa bench pipeline`: the highest syslog rate the whole pipeline keeps up with.
    struct Pipeline: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Send syslog over TCP at rising rates; report the highest rate stored and graphed within 5 s.",
            discussion: """
                Each step sends --seconds of sshd events at one rate and then waits for every event to be \
                stored and graphed. A rate is sustained when the sender kept its pace and the last event \
                was graphed within 5 s of being sent. Runs on a scratch database (see `wfa bench storage`).

                Default: every role in this process over the in-process bus. With --split (needs \
                --nats-url and --database), the ingestion and graph-processor roles run as child \
                processes (`wfa serve --role ...`) over NATS JetStream, as a split node would.
                """)

        @Option(help: "Rates to try, events per second, comma-separated, rising.")
        var rates = "2000,5000,10000,15000,20000,25000,30000"

        @Option(help: "Seconds to send at each rate.")
        var seconds = 10

        @Flag(help: "Run ingestion and graph-processor as separate processes over NATS.")
        var split = false

        @Option(help: "NATS server for --split.")
        var natsURL: String?

        @Option(help: "PostgreSQL server URL to create the scratch database on (default: a temporary private server).")
        var database: String?

        @OptionGroup var global: GlobalOptions

        static let org = Org.ID("bench")

        func validate() throws {
            guard !self.steps.isEmpty, self.steps.allSatisfy({ $0 > 0 }) else {
                throw ValidationError("--rates takes positive numbers, e.g. 2000,5000,10000")
            }
            guard self.seconds > 0 else { throw ValidationError("--seconds must be positive") }
            if self.split, self.natsURL == nil || self.database == nil {
                throw ValidationError("--split needs --nats-url and --database (the child processes share them)")
            }
        }

        var steps: [Int] {
            self.rates.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        }

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await ScratchDatabase.with(onServer: self.database, logger: logger) { url in
                let database = try await PostgresDatabase.open(.init(url: url), logger: logger)
                do {
                    if self.split {
                        try await self.measureSplit(database: database, url: url, logger: logger)
                    } else {
                        try await self.measureAllInOne(database: database, logger: logger)
                    }
                } catch {
                    await database.close()
                    throw error
                }
                await database.close()
            }
        }

        private func measureAllInOne(database: PostgresDatabase, logger: Logger) async throws {
            let bus = InProcessBus()
            try await bus.declare(.artifacts, consumer: GraphProcessor.consumer)
            let ingestor = Ingestor(
                sink: ClassifyingSink(
                    rules: database.storage.rules,
                    next: BusArtifactSink(bus: bus, storingFirstIn: database.storage.artifacts)))
            let receiver = try await SyslogTCPReceiver(
                configuration: .init(host: "127.0.0.1", port: 0, orgID: Self.org), ingestor: ingestor, logger: logger)
            let processor = GraphProcessor(
                bus: bus, artifacts: nil, graph: database.storage.graph, projection: GraphProjection(), logger: logger)
            let roles = Task {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await receiver.run() }
                    group.addTask { try await processor.run() }
                    try await group.next()
                }
            }
            defer { roles.cancel() }
            print("bench: all roles in this process, in-process bus, PostgreSQL")
            try await self.climb(port: receiver.localPort, graph: database.storage.graph) {
                ProcessMemory.residentBytes(of: getpid())
            }
        }

        private func measureSplit(database: PostgresDatabase, url: String, logger: Logger) async throws {
            let port = try FreePort.pick()
            let executable = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
            let common = ["--database", url, "--nats-url", self.natsURL ?? "", "--log-level", "warning"]
            let roles = [
                try ChildProcess.launch(
                    executable,
                    [
                        "serve", "--role", "artifact-ingestion", "--syslog-port", "\(port)", "--syslog-org",
                        Self.org.rawValue,
                    ] + common),
                try ChildProcess.launch(executable, ["serve", "--role", "graph-processor"] + common),
            ]
            defer { for role in roles { role.terminate() } }
            try await FreePort.waitUntilListening(port)
            print("bench: artifact-ingestion and graph-processor as separate processes over NATS JetStream")
            try await self.climb(port: port, graph: database.storage.graph) {
                roles.map { ProcessMemory.residentBytes(of: $0.processIdentifier) }.reduce(0, +)
            }
        }

        /// Sends at each rate until one is not sustained; prints a row per rate.
        private func climb(port: Int, graph: any GraphStore, residentBytes: () -> Int) async throws {
            print("")
            print("rate/s    sent   sent/s   graphed  last event after send   sustained   RSS MB")
            var best = 0
            for rate in self.steps {
                let host = "bench-r\(rate)-\(getpid())"
                let node = Node.ID(entity: EntityKey(type: .host, value: host))
                let total = rate * self.seconds
                let prefix = Array("<38>Nov 20 10:00:00 \(host) sshd[1]: Failed password for u".utf8)
                let sending = PacedSender(port: port, rate: rate, total: total) { index, line in
                    // Bytes written in place: the sender shares the host with the pipeline it measures.
                    line += prefix
                    line.appendDecimal(index % 100)
                    line += " from 10.".utf8
                    line.appendDecimal(index % 7)
                    line.append(UInt8(ascii: "."))
                    line.appendDecimal(index % 250)
                    line.append(UInt8(ascii: "."))
                    line.appendDecimal(index % 200 + 1)
                    line += " port ".utf8
                    line.appendDecimal(1024 + index % 60000)
                    line += " ssh2\n".utf8
                }
                let sent = try await sending.run()
                let sentAt = ContinuousClock.now
                var graphed: Int64 = 0
                var lag: Duration = .zero
                // Waits past the 5 s bound (up to 60 s) so the table shows how far behind it fell.
                while ContinuousClock.now - sentAt < .seconds(60) {
                    graphed = try await graph.node(node, in: Self.org)?.artifactCount ?? 0
                    lag = ContinuousClock.now - sentAt
                    if graphed >= Int64(total) { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                let kept = sent.achievedRate >= Double(rate) * 0.95
                let sustained = kept && graphed >= Int64(total) && lag <= .seconds(5)
                if sustained { best = rate }
                let columns = [
                    ("\(rate)", 6), ("\(total)", 7), ("\(Int(sent.achievedRate.rounded()))", 8), ("\(graphed)", 9),
                    (String(format: "%.1f s", lag.inSeconds), 23), (sustained ? "yes" : "no", 11),
                    ("\(residentBytes() / 1_048_576)", 8),
                ]
                print(
                    columns.map { String(repeating: " ", count: max(0, $0.1 - $0.0.count)) + $0.0 }.joined(
                        separator: " "))
                if !sustained { break }
            }
            print("")
            print("highest sustained rate: \(best) events/s")
        }
    }
}

/// Writes generated lines to a TCP port at a steady rate from a thread of its own (so pacing does
/// not depend on Swift's cooperative pool); blocking writes are how a slow receiver slows it.
struct PacedSender: Sendable {
    struct Outcome: Sendable {
        var sent: Int
        var achievedRate: Double
    }

    let port: Int
    let rate: Int
    let total: Int
    /// Appends line number `index` to the buffer.
    let line: @Sendable (_ index: Int, _ buffer: inout [UInt8]) -> Void

    init(port: Int, rate: Int, total: Int, line: @escaping @Sendable (Int, inout [UInt8]) -> Void) {
        self.port = port
        self.rate = rate
        self.total = total
        self.line = line
    }

    func run() async throws -> Outcome {
        try await withCheckedThrowingContinuation { continuation in
            let thread = Thread {
                continuation.resume(with: Result { try self.send() })
            }
            thread.start()
        }
    }

    private func send() throws -> Outcome {
        let socket = try FreePort.connect(self.port)
        defer { close(socket) }
        let began = Date()
        var index = 0
        while index < self.total {
            let due = min(self.total, Int(Date().timeIntervalSince(began) * Double(self.rate)) + 1)
            if due <= index {
                usleep(1_000)
                continue
            }
            var chunk: [UInt8] = []
            while index < due {
                self.line(index, &chunk)
                index += 1
            }
            try FreePort.write(chunk, to: socket)
        }
        let elapsed = max(Date().timeIntervalSince(began), 0.001)
        return Outcome(sent: index, achievedRate: Double(index) / elapsed)
    }
}

/// Loopback sockets for the benchmark.
enum FreePort {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    static func pick() throws -> Int {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(descriptor) }
        var address = Self.loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(descriptor, $0, length) == 0 && getsockname(descriptor, $0, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "cannot bind a loopback port") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func connect(_ port: Int) throws -> Int32 {
        let descriptor = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        var address = Self.loopback(port: port)
        let connected = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                Glibc.connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
            }
        }
        guard connected else {
            close(descriptor)
            throw Failure(description: "cannot connect to 127.0.0.1:\(port)")
        }
        return descriptor
    }

    static func write(_ bytes: [UInt8], to socket: Int32) throws {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Glibc.write(socket, $0.baseAddress, $0.count) }
            guard written > 0 else { throw Failure(description: "the receiver closed the connection") }
            offset += written
        }
    }

    static func waitUntilListening(_ port: Int, timeout: Duration = .seconds(60)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if let socket = try? Self.connect(port) {
                close(socket)
                return
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw Failure(description: "nothing listens on port \(port) after \(timeout)")
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return address
    }
}

/// A child `wfa` process of the benchmark.
final class ChildProcess: Sendable {
    let process: Process

    private init(process: Process) {
        self.process = process
    }

    static func launch(_ executable: URL, _ arguments: [String]) throws -> ChildProcess {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        return ChildProcess(process: process)
    }

    var processIdentifier: Int32 { self.process.processIdentifier }

    func terminate() {
        guard self.process.isRunning else { return }
        self.process.terminate()
        self.process.waitUntilExit()
    }
}

enum ProcessMemory {
    /// VmRSS of `pid` from /proc, in bytes (0 when unreadable).
    static func residentBytes(of pid: Int32) -> Int {
        guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = line.split(separator: " ").dropFirst().first.flatMap({ Int($0) })
        else { return 0 }
        return kilobytes * 1_024
    }
}
