import Foundation
import HTTPTypes
public import Logging
public import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
public import NIOPosix
public import NIOSSL
public import ServiceLifecycle
import Synchronization

/// wfa's HTTP/1.1 server on SwiftNIO.
///
/// One task per connection reads requests strictly in order and answers each before reading the next,
/// so pipelined requests are answered in order and a client that does not read its responses stops
/// the server from reading (NIO's back pressure), instead of making it buffer without bound.
/// Limits: header bytes (431), body bytes (413), idle and slow-request timeouts, a connection cap.
/// On graceful shutdown it stops accepting, lets in-flight requests finish, and closes idle connections.
public final class HTTPServer: Service, Sendable {
    public struct Configuration: Sendable {
        /// Address to listen on. Default loopback.
        public var host: String
        /// Port; `0` binds an ephemeral port (see ``HTTPServer/localPort``).
        public var port: Int
        /// Largest request head (request line and headers), in bytes; larger gets 431. Default 16 KiB.
        public var maximumHeaderBytes: Int
        /// Largest request body, in bytes; larger gets 413. Default 10 MiB.
        public var maximumBodyBytes: Int
        /// How long a connection may sit between requests, including while a request head trickles in.
        /// Default 30 s.
        public var idleTimeout: Duration
        /// How long a request body may take to arrive once its head has. Default 30 s.
        public var requestReadTimeout: Duration
        /// Connections served at once; more are closed on accept. Default 1,024.
        public var maximumConnections: Int
        /// Serve HTTPS with this TLS configuration; nil serves plain HTTP (loopback, or behind a proxy).
        public var tls: TLSConfiguration?

        public init(
            host: String = "127.0.0.1", port: Int = 8080, maximumHeaderBytes: Int = 16 * 1024,
            maximumBodyBytes: Int = 10 * 1024 * 1024, idleTimeout: Duration = .seconds(30),
            requestReadTimeout: Duration = .seconds(30), maximumConnections: Int = 1_024, tls: TLSConfiguration? = nil
        ) {
            self.tls = tls
            self.host = host
            self.port = port
            self.maximumHeaderBytes = maximumHeaderBytes
            self.maximumBodyBytes = maximumBodyBytes
            self.idleTimeout = idleTimeout
            self.requestReadTimeout = requestReadTimeout
            self.maximumConnections = maximumConnections
        }
    }

    typealias Connection = NIOAsyncChannel<HTTPRequestPart, HTTPResponsePart>

    public let configuration: Configuration
    /// The port actually bound (useful with port 0).
    public let localPort: Int
    private let serverChannel: NIOAsyncChannel<Connection, Never>
    private let quiescing: ServerQuiescingHelper
    private let responder: any HTTPResponder
    private let logger: Logger
    private let openConnections = Mutex(0)

    /// Binds the listening socket; serving starts with ``run()``.
    /// - Throws: the bind error (address in use, permission denied).
    public init(
        configuration: Configuration, responder: some HTTPResponder, logger: Logger,
        eventLoopGroup: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
    ) async throws {
        self.configuration = configuration
        self.responder = responder
        self.logger = logger
        let quiescing = ServerQuiescingHelper(group: eventLoopGroup)
        self.quiescing = quiescing
        let idle = TimeAmount(configuration.idleTimeout)
        let read = TimeAmount(configuration.requestReadTimeout)
        var limits = NIOHTTPDecoderLimitConfiguration()
        limits.maxHeaderListSize = configuration.maximumHeaderBytes
        limits.maxHeaderFieldSize = configuration.maximumHeaderBytes
        let decoderLimits = limits
        // One context for all connections: it holds the certificate and key, loaded once.
        let sslContext = try configuration.tls.map { try NIOSSLContext(configuration: $0) }
        self.serverChannel = try await ServerBootstrap(group: eventLoopGroup)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .serverChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(quiescing.makeServerChannelHandler(channel: channel))
                }
            }
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.allowRemoteHalfClosure, value: true)
            .bind(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                        withPipeliningAssistance: false, withErrorHandling: false,
                        withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                        withDecoderLimitConfiguration: decoderLimits)
                    try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: sslContext != nil))
                    try channel.pipeline.syncOperations.addHandler(
                        HTTPConnectionStateHandler(idleTimeout: idle, readTimeout: read))
                    return try Connection(
                        wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
                }
            }
        self.localPort = self.serverChannel.channel.localAddress?.port ?? configuration.port
    }

    /// Serves until graceful shutdown or cancellation, then drains in-flight requests.
    public func run() async throws {
        self.logger.info(
            "HTTP server listening",
            metadata: ["http.host": "\(self.configuration.host)", "http.port": "\(self.localPort)"])
        try await withGracefulShutdownHandler {
            try await self.serverChannel.executeThenClose { connections in
                try await withThrowingDiscardingTaskGroup { group in
                    for try await connection in connections {
                        let admitted = self.openConnections.withLock { count in
                            guard count < self.configuration.maximumConnections else { return false }
                            count += 1
                            return true
                        }
                        guard admitted else {
                            connection.channel.close(promise: nil)
                            continue
                        }
                        group.addTask {
                            await self.serve(connection)
                            self.openConnections.withLock { $0 -= 1 }
                        }
                    }
                }
            }
        } onGracefulShutdown: {
            self.shutDownGracefully()
        }
        self.logger.info("HTTP server stopped", metadata: ["http.port": "\(self.localPort)"])
    }

    /// Stops accepting and asks every connection to close once its current request is answered.
    public func shutDownGracefully() {
        self.quiescing.initiateShutdown(promise: nil)
    }

    private func serve(_ connection: Connection) async {
        let remote = connection.channel.remoteAddress
        do {
            try await connection.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                var exchange = HTTPExchange(configuration: self.configuration, logger: self.logger, remote: remote)
                while try await exchange.serveNext(from: &parts, to: outbound, responder: self.responder) {}
            }
        } catch {
            // One peer's failure (reset, protocol error already answered) never affects others.
            self.logger.debug(
                "HTTP connection ended with an error",
                metadata: ["connection.peer": "\(remote.map { "\($0)" } ?? "?")", "error": "\(error)"])
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let parts = duration.components
        self = .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}
