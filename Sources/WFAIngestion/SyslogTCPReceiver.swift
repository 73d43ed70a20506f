import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import NIOSSL
public import ServiceLifecycle
import Synchronization
public import WFACore
import WFAParsing

/// Syslog over TCP (RFC 6587, newline or octet-counting framing detected per connection), and over
/// TLS (RFC 5425) when given a TLS configuration.
///
/// Each connection is read by one task that parses what a read delivered and hands it to the
/// connection's writer task (``ArtifactHandoff``), which stores a batch at a time: what arrives
/// while one batch is stored becomes the next. The reader stops reading once a full batch waits,
/// so a slow sink fills the socket buffers and slows the sender instead of growing memory.
/// Message size is capped: longer messages are cut and counted.
public final class SyslogTCPReceiver: Service, Sendable {
    public struct Configuration: Sendable {
        public var host: String
        /// `0` binds an ephemeral port (see ``SyslogTCPReceiver/localPort``).
        public var port: Int
        /// The org the received artifacts belong to.
        public var orgID: Org.ID
        /// Serve syslog over TLS with this configuration; nil for plain TCP.
        public var tls: TLSConfiguration?
        /// Longest message kept whole; longer ones are cut to this and tagged `truncated`.
        public var maximumMessageBytes: Int
        /// Connections served at once; more are closed on accept.
        public var maximumConnections: Int

        public init(
            host: String = "127.0.0.1", port: Int = 5514, orgID: Org.ID = "default", tls: TLSConfiguration? = nil,
            maximumMessageBytes: Int = 64 * 1024, maximumConnections: Int = 1_024
        ) {
            self.host = host
            self.port = port
            self.orgID = orgID
            self.tls = tls
            self.maximumMessageBytes = maximumMessageBytes
            self.maximumConnections = maximumConnections
        }
    }

    typealias Connection = NIOAsyncChannel<ByteBuffer, ByteBuffer>

    /// A connection and its peer's address, read at accept: a short-lived sender may be gone
    /// (and its address with it) by the time its task starts.
    struct Accepted: Sendable {
        var connection: Connection
        var peer: String
    }

    public let configuration: Configuration
    public let localPort: Int
    /// `syslog-tcp` or `syslog-tls`: the receiver label in metrics and the start of each artifact's source.
    public let name: String
    private let ingestor: Ingestor
    private let logger: Logger
    private let serverChannel: NIOAsyncChannel<Accepted, Never>
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])

    public init(
        configuration: Configuration, ingestor: Ingestor, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        self.configuration = configuration
        self.ingestor = ingestor
        self.logger = logger
        self.name = configuration.tls == nil ? "syslog-tcp" : "syslog-tls"
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        self.serverChannel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: false)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    let connection = try Connection(
                        wrappingChannelSynchronously: channel,
                        configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
                    return Accepted(connection: connection, peer: channel.remoteAddress?.ipAddress ?? "unknown")
                }
            }
        self.localPort = self.serverChannel.channel.localAddress?.port ?? configuration.port
    }

    public func run() async throws {
        self.logger.info(
            "syslog receiver listening",
            metadata: ["syslog.transport": "\(self.name)", "syslog.port": "\(self.localPort)"])
        try await withGracefulShutdownHandler {
            try await self.serverChannel.executeThenClose { inbound in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await accepted in inbound {
                        let connection = accepted.connection
                        let id = ObjectIdentifier(connection.channel)
                        let admitted = self.connections.withLock { open in
                            guard open.count < self.configuration.maximumConnections else { return false }
                            open[id] = connection.channel
                            return true
                        }
                        guard admitted else {
                            self.logger.warning("syslog connection refused: too many connections")
                            connection.channel.close(promise: nil)
                            continue
                        }
                        group.addTask {
                            defer { _ = self.connections.withLock { $0.removeValue(forKey: id) } }
                            await self.serve(connection, peer: accepted.peer)
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.shutDown()
        }
        self.logger.info("syslog receiver stopped", metadata: ["syslog.transport": "\(self.name)"])
    }

    /// Stops accepting and closes open connections once what they delivered is handed on.
    public func shutDown() {
        self.serverChannel.channel.close(promise: nil)
        for channel in self.connections.withLock({ Array($0.values) }) { channel.close(promise: nil) }
    }

    private func serve(_ connection: Connection, peer: String) async {
        let source = "\(self.name):\(peer)"
        var decoder = SyslogFrameDecoder(maximumMessageBytes: self.configuration.maximumMessageBytes)
        var context = ParsingContext(orgID: self.configuration.orgID, source: source)
        let handoff = ArtifactHandoff(capacity: Self.pendingArtifacts, byteCapacity: Self.pendingBytes)
        await withDiscardingTaskGroup { group in
            // The writer: stores what the reader parsed while the reader parses on.
            group.addTask {
                defer { handoff.close() }
                while true {
                    let batch = await handoff.next()
                    guard !batch.isEmpty else { return }
                    do {
                        try await SinkRetry.accept(batch, by: self.ingestor.sink, logger: self.logger)
                    } catch {
                        return
                    }
                }
            }
            do {
                try await connection.executeThenClose { inbound, _ in
                    for try await buffer in inbound {
                        let frames = decoder.feed(buffer.readableBytesView)
                        guard await self.handOn(frames, to: handoff, source: source, context: &context) else { break }
                    }
                }
            } catch {
                // A reset or a failed TLS handshake ends this connection only.
                self.logger.debug("syslog connection ended", metadata: ["peer": "\(peer)", "error": "\(error)"])
            }
            let rest = decoder.finish()
            await self.handOn(rest, to: handoff, source: source, context: &context)
            handoff.finish()
        }
        self.ingestor.metrics.increment(.framingErrors, self.name, by: decoder.framingErrors)
    }

    /// Artifacts a connection may have parsed and not yet stored: with one batch being stored,
    /// this bounds what a connection holds, and so how far it reads ahead of a slow sink.
    static let pendingArtifacts = 512
    static let pendingBytes = 4 * 1_024 * 1_024

    /// Parses `frames` and hands the artifacts to the connection's writer.
    /// - Returns: false when the writer has stopped.
    @discardableResult
    private func handOn(
        _ frames: [SyslogFrameDecoder.Frame], to handoff: ArtifactHandoff, source: String,
        context: inout ParsingContext
    ) async -> Bool {
        guard !frames.isEmpty else { return true }
        let now = Date()
        let messages = frames.map {
            IngestMessage(bytes: $0.bytes, source: source, receivedAt: now, truncated: $0.truncated)
        }
        return await handoff.add(self.ingestor.parse(messages, receiver: self.name, context: &context))
    }
}

/// Syslog has no acknowledgement to withhold, so when the sink fails a receiver keeps the batch
/// and retries (holding back the sender meanwhile) rather than dropping what it already read.
enum SinkRetry {
    static func accept(_ artifacts: [Artifact], by sink: any ArtifactSink, logger: Logger) async throws {
        guard !artifacts.isEmpty else { return }
        var delay = Duration.milliseconds(100)
        while true {
            do {
                try await sink.accept(artifacts)
                return
            } catch {
                try Task.checkCancellation()
                logger.warning(
                    "artifact sink failed; retrying",
                    metadata: ["error": "\(error)", "artifacts": "\(artifacts.count)", "retry_in": "\(delay)"])
                try await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }
}
