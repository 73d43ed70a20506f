public import NIOCore
import NIOHTTP1
import NIOPosix
public import NIOWebSocket

/// A WebSocket client on NIO's own client upgrader, an implementation independent of our server's:
/// tests check the server against what a real client sends and expects, and `wfa bench incidents`
/// connects its live clients with it.
public enum WebSocketClient {
    public enum Outcome: Sendable {
        /// The server switched protocols; frames flow on this channel (frames we send must be masked).
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        /// The server answered as plain HTTP instead.
        case refused
    }

    enum Negotiated: Sendable {
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused(any Channel)
    }

    /// Connects to `path` on loopback and asks to upgrade, with any extra request `headers`.
    public static func connect(port: Int, path: String, headers: [(String, String)] = []) async throws -> Outcome {
        let negotiated: EventLoopFuture<Negotiated> = try await ClientBootstrap(
            group: MultiThreadedEventLoopGroup.singleton
        )
        .connect(host: "127.0.0.1", port: port) { channel in
            channel.eventLoop.makeCompletedFuture {
                let upgrader = NIOTypedWebSocketClientUpgrader<Negotiated>(
                    maxFrameSize: 1 << 24,
                    upgradePipelineHandler: { channel, _ in
                        channel.eventLoop.makeCompletedFuture {
                            .upgraded(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
                        }
                    })
                var fields = HTTPHeaders(headers)
                fields.add(name: "Host", value: "127.0.0.1:\(port)")
                fields.add(name: "Content-Length", value: "0")
                let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: path, headers: fields)
                return try channel.pipeline.syncOperations.configureUpgradableHTTPClientPipeline(
                    configuration: .init(
                        upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                            upgradeRequestHead: head, upgraders: [upgrader],
                            // Closing here would fail the negotiation; the caller closes instead.
                            notUpgradingCompletionHandler: { channel in
                                channel.eventLoop.makeSucceededFuture(.refused(channel))
                            })))
            }
        }
        switch try await negotiated.get() {
        case .upgraded(let channel):
            return .upgraded(channel)
        case .refused(let channel):
            try? await channel.close()
            return .refused
        }
    }

    /// A client frame with a masking key (RFC 6455 §5.3); NIO's encoder masks the data on the wire.
    public static func frame(_ opcode: WebSocketOpcode, _ text: String, fin: Bool = true) -> WebSocketFrame {
        self.frame(opcode, ByteBuffer(string: text), fin: fin)
    }

    public static func frame(_ opcode: WebSocketOpcode, _ data: ByteBuffer, fin: Bool = true) -> WebSocketFrame {
        WebSocketFrame(fin: fin, opcode: opcode, maskKey: .random(), data: data)
    }
}
