import Foundation
public import Logging
public import NIOCore
public import NIOPosix
public import ServiceLifecycle
public import WFACore
import WFAParsing

/// Syslog over UDP (RFC 5426): one message per datagram.
///
/// The socket's event loop only copies each datagram into a bounded queue; a task parses what is
/// queued and hands it to the sink. When that task falls behind, datagrams are dropped and
/// counted (`wfa_ingest_dropped_total{receiver="syslog-udp"}`), never buffered without bound.
public final class SyslogUDPReceiver: Service, Sendable {
    public struct Configuration: Sendable {
        public var host: String
        public var port: Int
        public var orgID: Org.ID
        /// Datagrams waiting for the parser before new ones are dropped.
        public var queueCapacity: Int
        /// Kernel receive buffer to ask for, to ride out bursts.
        public var receiveBufferBytes: Int

        public init(
            host: String = "127.0.0.1", port: Int = 5514, orgID: Org.ID = "default", queueCapacity: Int = 50_000,
            receiveBufferBytes: Int = 4 * 1024 * 1024
        ) {
            self.host = host
            self.port = port
            self.orgID = orgID
            self.queueCapacity = queueCapacity
            self.receiveBufferBytes = receiveBufferBytes
        }
    }

    public static let name = "syslog-udp"
    public let configuration: Configuration
    public let localPort: Int
    private let ingestor: Ingestor
    private let logger: Logger
    private let channel: any Channel
    private let queue: DatagramQueue

    public init(
        configuration: Configuration, ingestor: Ingestor, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        self.configuration = configuration
        self.ingestor = ingestor
        self.logger = logger
        let queue = DatagramQueue(capacity: configuration.queueCapacity)
        self.queue = queue
        let metrics = ingestor.metrics
        self.channel = try await DatagramBootstrap(group: eventLoopGroup)
            .channelOption(.socketOption(.so_reuseaddr), value: 1)
            .channelOption(.socketOption(.so_rcvbuf), value: SocketOptionValue(configuration.receiveBufferBytes))
            // The largest UDP payload; NIO's default read buffer would cut datagrams at 2 KiB.
            .channelOption(.recvAllocator, value: FixedSizeRecvByteBufferAllocator(capacity: 65_536))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(DatagramHandler(queue: queue, metrics: metrics))
                }
            }
            .bind(host: configuration.host, port: configuration.port)
            .get()
        self.localPort = self.channel.localAddress?.port ?? configuration.port
    }

    public func run() async throws {
        self.logger.info(
            "syslog receiver listening",
            metadata: ["syslog.transport": "\(Self.name)", "syslog.port": "\(self.localPort)"])
        await withGracefulShutdownHandler {
            var context = ParsingContext(orgID: self.configuration.orgID, source: Self.name)
            while let datagrams = await self.queue.next() {
                let now = Date()
                let messages = datagrams.map {
                    IngestMessage(
                        bytes: $0.bytes, source: "\(Self.name):\($0.peer)", receivedAt: now)
                }
                // Each datagram stands alone: no Zeek header carries over between senders.
                context.zeekFields = nil
                let artifacts = self.ingestor.parse(messages, receiver: Self.name, context: &context)
                do {
                    try await SinkRetry.accept(artifacts, by: self.ingestor.sink, logger: self.logger)
                } catch {
                    self.logger.warning(
                        "syslog datagrams not stored at shutdown", metadata: ["artifacts": "\(artifacts.count)"])
                }
            }
        } onGracefulShutdown: {
            self.shutDown()
        }
        self.logger.info("syslog receiver stopped", metadata: ["syslog.transport": "\(Self.name)"])
    }

    /// Stops reading; what is already queued is still handed on.
    public func shutDown() {
        self.channel.close(promise: nil)
        self.queue.finish()
    }
}

/// Copies each datagram off the event loop into the queue, counting the ones it has no room for.
private final class DatagramHandler: ChannelInboundHandler {
    typealias InboundIn = AddressedEnvelope<ByteBuffer>

    let queue: DatagramQueue
    let metrics: IngestMetrics

    init(queue: DatagramQueue, metrics: IngestMetrics) {
        self.queue = queue
        self.metrics = metrics
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let envelope = Self.unwrapInboundIn(data)
        var bytes = Array(envelope.data.readableBytesView)
        while let last = bytes.last, last == UInt8(ascii: "\n") || last == UInt8(ascii: "\r") || last == 0 {
            bytes.removeLast()
        }
        guard !bytes.isEmpty else { return }
        let datagram = DatagramQueue.Datagram(bytes: bytes, peer: envelope.remoteAddress.ipAddress ?? "unknown")
        if !self.queue.push(datagram) { self.metrics.increment(.dropped, SyslogUDPReceiver.name) }
    }
}
