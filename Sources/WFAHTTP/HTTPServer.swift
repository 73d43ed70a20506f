import Foundation
import HTTPTypes
public import Logging
import NIOConcurrencyHelpers
public import NIOCore
import NIOExtras
import NIOHTTP1
import NIOHTTPTypes
import NIOHTTPTypesHTTP1
public import NIOPosix
public import NIOSSL
import NIOWebSocket
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
        /// Largest request head (request line and headers), in bytes; larger gets 431. Default 64 KiB:
        /// graph ids (a URL node, an edge between two) percent-encoded in a path can reach 28 KB.
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
        /// Lets requests upgrade to WebSocket; nil answers every request as plain HTTP.
        public var webSocket: WebSocketRoute?

        public init(
            host: String = "127.0.0.1", port: Int = 8080, maximumHeaderBytes: Int = 64 * 1024,
            maximumBodyBytes: Int = 10 * 1024 * 1024, idleTimeout: Duration = .seconds(30),
            requestReadTimeout: Duration = .seconds(30), maximumConnections: Int = 1_024, tls: TLSConfiguration? = nil,
            webSocket: WebSocketRoute? = nil
        ) {
            self.tls = tls
            self.webSocket = webSocket
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
    typealias WebSocketChannel = NIOAsyncChannel<WebSocketFrame, WebSocketFrame>

    /// What a new connection turned out to be once its first request was read.
    enum Negotiated: Sendable {
        /// Plain HTTP. `declined` is an upgrade request the route declined: NIO's upgrade handler
        /// consumes such a request, so the server answers it through the responder itself.
        case http(Connection, declined: HTTPRequest?)
        case webSocket(WebSocketChannel, WebSocketSession)
    }

    /// What ``WebSocketRoute/decide`` said about a connection's first request.
    enum UpgradeVerdict: Sendable {
        case accepted(WebSocketSession)
        case declined(HTTPRequest)
    }

    /// An accepted upgrade: the request and the handler ``WebSocketRoute/decide`` chose for it.
    struct WebSocketSession: Sendable {
        var request: HTTPRequest
        var context: HTTPRequestContext
        var maximumMessageBytes: Int
        var handler: @Sendable (WebSocketConnection) async throws -> Void
    }

    public let configuration: Configuration
    /// The port actually bound (useful with port 0).
    public let localPort: Int
    private let serverChannel: NIOAsyncChannel<EventLoopFuture<Negotiated>, Never>
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
            .bind(host: configuration.host, port: configuration.port) { [logger] channel in
                channel.eventLoop.makeCompletedFuture {
                    if let sslContext {
                        try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: sslContext))
                    }
                    let secure = sslContext != nil
                    guard let route = configuration.webSocket else {
                        try channel.pipeline.syncOperations.configureHTTPServerPipeline(
                            withPipeliningAssistance: false, withErrorHandling: false,
                            withOutboundHeaderValidation: false, withEncoderConfiguration: .init(),
                            withDecoderLimitConfiguration: decoderLimits)
                        return channel.eventLoop.makeSucceededFuture(
                            .http(
                                try Self.makeConnection(channel, secure: secure, idle: idle, read: read), declined: nil)
                        )
                    }
                    return try Self.configureUpgradablePipeline(
                        channel, route: route, secure: secure, limits: decoderLimits, idle: idle, read: read,
                        logger: logger)
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
                    for try await negotiation in connections {
                        let admitted = self.openConnections.withLock { count in
                            guard count < self.configuration.maximumConnections else { return false }
                            count += 1
                            return true
                        }
                        guard admitted else {
                            negotiation.whenSuccess { negotiated in
                                switch negotiated {
                                case .http(let connection, _): connection.channel.close(promise: nil)
                                case .webSocket(let channel, _): channel.channel.close(promise: nil)
                                }
                            }
                            continue
                        }
                        group.addTask {
                            defer { self.openConnections.withLock { $0 -= 1 } }
                            // A connection that closes before its first request is complete fails here.
                            switch try? await negotiation.get() {
                            case .http(let connection, let declined): await self.serve(connection, declined: declined)
                            case .webSocket(let channel, let session): await self.serve(channel, session)
                            case nil: break
                            }
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

    private func serve(_ connection: Connection, declined: HTTPRequest?) async {
        let remote = connection.channel.remoteAddress
        do {
            try await connection.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                var exchange = HTTPExchange(configuration: self.configuration, logger: self.logger, remote: remote)
                if let declined {
                    guard
                        try await exchange.answer(
                            declined, body: ByteBuffer(), requestID: HTTPExchange.requestID(from: declined),
                            to: outbound,
                            responder: self.responder)
                    else { return }
                }
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

extension HTTPServer {
    static func makeConnection(_ channel: any Channel, secure: Bool, idle: TimeAmount, read: TimeAmount) throws
        -> Connection
    {
        try channel.pipeline.syncOperations.addHandler(HTTP1ToHTTPServerCodec(secure: secure))
        try channel.pipeline.syncOperations.addHandler(HTTPConnectionStateHandler(idleTimeout: idle, readTimeout: read))
        return try Connection(
            wrappingChannelSynchronously: channel, configuration: .init(isOutboundHalfClosureEnabled: true))
    }

    /// The pipeline for a server with a WebSocket route: NIO's upgrade handler decides on the first
    /// request; a plain request continues on the same handlers as a server without the route.
    static func configureUpgradablePipeline(
        _ channel: any Channel, route: WebSocketRoute, secure: Bool, limits: NIOHTTPDecoderLimitConfiguration,
        idle: TimeAmount, read: TimeAmount, logger: Logger
    ) throws -> EventLoopFuture<Negotiated> {
        // `decide` runs once per request in shouldUpgrade; the pipeline handler, called after the 101,
        // picks up the session it accepted.
        let verdict = NIOLockedValueBox<UpgradeVerdict?>(nil)
        let upgrader = NIOTypedWebSocketServerUpgrader<Negotiated>(
            maxFrameSize: route.maximumFrameBytes,
            shouldUpgrade: { channel, head in
                channel.eventLoop.makeFutureWithTask {
                    // A head NIO parsed but HTTPTypes rejects is not upgraded and gets no answer: close.
                    guard let request = try? HTTPRequest(head, secure: secure, splitCookie: false) else {
                        try? await channel.close()
                        return nil
                    }
                    let requestID = HTTPExchange.requestID(from: request)
                    var requestLogger = logger
                    requestLogger[metadataKey: "request.id"] = "\(requestID)"
                    let context = HTTPRequestContext(
                        requestID: requestID, logger: requestLogger, remoteAddress: channel.remoteAddress)
                    switch await route.decide(request, context) {
                    case .decline:
                        verdict.withLockedValue { $0 = .declined(request) }
                        return nil
                    case .accept(let headers, let handler):
                        verdict.withLockedValue {
                            $0 = .accepted(
                                WebSocketSession(
                                    request: request, context: context,
                                    maximumMessageBytes: route.maximumMessageBytes, handler: handler))
                        }
                        var fields = HTTPHeaders(headers)
                        fields.replaceOrAdd(name: "X-Request-ID", value: requestID)
                        return fields
                    }
                }
            },
            upgradePipelineHandler: { channel, _ in
                channel.eventLoop.makeCompletedFuture {
                    guard case .accepted(let session) = verdict.withLockedValue({ $0 }) else {
                        throw ChannelError.inappropriateOperationForState
                    }
                    try channel.pipeline.syncOperations.addHandler(WebSocketQuiesceHandler())
                    let webSocket = try WebSocketChannel(wrappingChannelSynchronously: channel)
                    return .webSocket(webSocket, session)
                }
            })
        var pipeline = NIOUpgradableHTTPServerPipelineConfiguration(
            upgradeConfiguration: NIOTypedHTTPServerUpgradeConfiguration(
                upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let connection = try Self.makeConnection(channel, secure: secure, idle: idle, read: read)
                        guard case .declined(let request) = verdict.withLockedValue({ $0 }) else {
                            return .http(connection, declined: nil)
                        }
                        return .http(connection, declined: request)
                    }
                }))
        pipeline.enablePipelining = false
        pipeline.enableErrorHandling = false
        pipeline.enableResponseHeaderValidation = false
        pipeline.decoderConfiguration = limits
        let negotiated = try channel.pipeline.syncOperations.configureUpgradableHTTPServerPipeline(
            configuration: pipeline)
        let upgradeHandler = try channel.pipeline.syncOperations.handler(
            type: NIOTypedHTTPServerUpgradeHandler<Negotiated>.self)
        try channel.pipeline.syncOperations.addHandler(
            FirstRequestGuardHandler(idleTimeout: idle), position: .before(upgradeHandler))
        return negotiated
    }

    private func serve(_ channel: WebSocketChannel, _ session: WebSocketSession) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                let connection = WebSocketConnection(
                    request: session.request, context: session.context,
                    messages: WebSocketInboundMessages(
                        frames: inbound, outbound: outbound,
                        maximumMessageBytes: session.maximumMessageBytes),
                    outbound: outbound, channel: channel.channel)
                try await session.handler(connection)
            }
        } catch {
            session.context.logger.debug("WebSocket connection ended with an error", metadata: ["error": "\(error)"])
        }
    }
}

extension TimeAmount {
    init(_ duration: Duration) {
        let parts = duration.components
        self = .nanoseconds(parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000)
    }
}
