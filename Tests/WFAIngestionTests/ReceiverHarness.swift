import Foundation
import Logging
import MetricsTestKit
import NIOCore
import NIOPosix
import NIOSSL
import ServiceLifecycle
import WFAIngestion
import WFATestSupport

/// Starts receivers on ephemeral loopback ports with a collecting sink, and runs real senders.
enum ReceiverHarness {
    static let logger = Logger(label: "wfa.test.ingestion")

    /// Runs `body` with a TCP (or, given TLS, TLS) receiver serving in the background.
    static func withTCPReceiver<T: Sendable>(
        tls: TLSConfiguration? = nil, maximumMessageBytes: Int = 64 * 1024, sink: any ArtifactSink,
        metrics: IngestMetrics = IngestMetrics(factory: TestMetrics()),
        _ body: @Sendable (SyslogTCPReceiver) async throws -> T
    ) async throws -> T {
        let receiver = try await SyslogTCPReceiver(
            configuration: .init(port: 0, tls: tls, maximumMessageBytes: maximumMessageBytes),
            ingestor: Ingestor(sink: sink, metrics: metrics), logger: Self.logger)
        return try await Self.serving(receiver, body)
    }

    static func withUDPReceiver<T: Sendable>(
        queueCapacity: Int = 50_000, sink: any ArtifactSink,
        metrics: IngestMetrics = IngestMetrics(factory: TestMetrics()),
        _ body: @Sendable (SyslogUDPReceiver) async throws -> T
    ) async throws -> T {
        let receiver = try await SyslogUDPReceiver(
            configuration: .init(port: 0, queueCapacity: queueCapacity),
            ingestor: Ingestor(sink: sink, metrics: metrics), logger: Self.logger)
        return try await Self.serving(receiver, body)
    }

    /// Runs `receiver` while `body` runs, then shuts it down and waits until it has handed on everything.
    static func serving<Receiver: SyslogReceiver, T: Sendable>(
        _ receiver: Receiver, _ body: @Sendable (Receiver) async throws -> T
    ) async throws -> T {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await receiver.run() }
            defer { receiver.shutDown() }
            let result = try await body(receiver)
            receiver.shutDown()
            try await group.waitForAll()
            return result
        }
    }

    static func serverTLS() async throws -> TLSConfiguration {
        let generated = try await TestCertificate()
        return TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(generated.certificatePEM).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: generated.keyPEM, format: .pem)))
    }

    /// Runs a program to completion; throws when it exits non-zero.
    ///
    /// Waits on a thread of its own, never on the cooperative pool: a `logger -T` blocks until our
    /// receiver reads what it sent, and that receiver needs the pool, so two such waits on a
    /// two-core machine stalled every test in the process until logger gave up.
    @discardableResult
    static func run(_ executable: String, _ arguments: [String]) async throws -> Int32 {
        try await withCheckedThrowingContinuation { continuation in
            Thread {
                continuation.resume(with: Result { try Self.runBlocking(executable, arguments) })
            }.start()
        }
    }

    private static func runBlocking(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        let errors = Pipe()
        process.standardError = errors
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            throw ProcessFailure(description: "\(executable) \(arguments) failed: \(message)")
        }
        return process.terminationStatus
    }

    /// Writes `lines` to a file for `logger -f`.
    static func file(of lines: [String]) throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("wfa-logger-\(UUID().uuidString)").path
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: path))
        return path
    }

    /// A port nobody listens on right now (the kernel's pick), for a helper process to bind.
    static func freePort() async throws -> Int {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(host: "127.0.0.1", port: 0).get()
        let port = channel.localAddress?.port ?? 0
        // Closed before returning: a helper that binds the port next must not find this listener
        // still there (its bind would fail, and a client would connect to the closing socket).
        try await channel.close()
        return port
    }

    /// Connects, writes `bytes` and closes: a raw syslog sender.
    static func send(_ bytes: [UInt8], port: Int) async throws {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
        try await channel.writeAndFlush(ByteBuffer(bytes: bytes))
        try await channel.close()
    }
}

struct ProcessFailure: Error, CustomStringConvertible {
    let description: String
}
