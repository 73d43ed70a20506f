import Foundation

/// A private nats-server with JetStream for one test, on a free loopback port, with its store in
/// a temporary directory; it can be stopped hard and started again on the same port and store,
/// as an operator's restart would.
public final class NATSServerProcess: @unchecked Sendable {
    public let port: Int
    public let storeDirectory: String
    private let lock = NSLock()
    private var process: Process?

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public var url: String { "nats://127.0.0.1:\(self.port)" }

    /// Waits without blocking a thread: tests run on the cooperative pool, which has a thread per
    /// core, and a blocked one stalls every other test.
    public init() async throws {
        self.port = try Self.freePort()
        self.storeDirectory =
            FileManager.default.temporaryDirectory
            .appendingPathComponent("wfa-nats-\(UUID().uuidString.prefix(8))").path
        try FileManager.default.createDirectory(atPath: self.storeDirectory, withIntermediateDirectories: true)
        try await self.start()
    }

    deinit {
        self.stop()
        try? FileManager.default.removeItem(atPath: self.storeDirectory)
    }

    /// Starts the server and waits until it accepts connections.
    public func start() async throws {
        let logPath = self.storeDirectory + "/nats.log"
        _ = FileManager.default.createFile(atPath: logPath, contents: nil)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.executable)
        process.arguments = [
            "-a", "127.0.0.1", "-p", "\(self.port)", "-js", "-sd", self.storeDirectory + "/jetstream", "-l", logPath,
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.lock.withLock { self.process = process }
        for _ in 0..<200 {
            if let log = try? String(contentsOfFile: logPath, encoding: .utf8), log.contains("Server is ready") {
                return
            }
            guard process.isRunning else { break }
            try await Task.sleep(for: .milliseconds(25))
        }
        let log = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
        throw Failure(description: "nats-server did not start on port \(self.port): \(log.suffix(2_000))")
    }

    /// Kills the server with SIGKILL (no clean shutdown) and waits for it to exit.
    public func stop() {
        let process = self.lock.withLock { () -> Process? in
            defer { self.process = nil }
            return self.process
        }
        guard let process, process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static var executable: String {
        ["/usr/sbin/nats-server", "/usr/bin/nats-server", "/usr/local/bin/nats-server"]
            .first { FileManager.default.isExecutableFile(atPath: $0) } ?? "/usr/sbin/nats-server"
    }

    static func freePort() throws -> Int {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw Failure(description: "socket() failed") }
        defer { close(descriptor) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else { throw Failure(description: "bind() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}
