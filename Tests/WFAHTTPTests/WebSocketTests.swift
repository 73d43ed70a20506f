import HTTPTypes
import NIOCore
import NIOWebSocket
import Testing
import WFAHTTP
import WFATestSupport

/// The WebSocket hook, driven by NIO's own client upgrader.
struct WebSocketTests {
    /// Accepts `/ws` with the header `X-Token: good`, then echoes each message back prefixed.
    static let route = WebSocketRoute(maximumFrameBytes: 1_024, maximumMessageBytes: 4_096) { request, _ in
        guard request.path == "/ws", let token = HTTPField.Name("X-Token"), request.headerFields[token] == "good",
            let accepted = HTTPField.Name("X-Accepted")
        else {
            return .decline
        }
        return .accept(headers: [accepted: "yes"]) { connection in
            for try await message in connection.messages {
                switch message {
                case .text(let text): try await connection.send(.text("echo: \(text)"))
                case .binary(let bytes): try await connection.send(.binary(bytes))
                }
            }
        }
    }

    /// Declined upgrades reach the HTTP responder like any request.
    static let responder = ClosureResponder { request, _ in
        if request.head.path == "/ws" { return HTTPServerResponse(status: .unauthorized, body: "sign in first") }
        return HTTPServerResponse(status: .ok, body: "plain")
    }

    static func withServer(_ body: (HTTPServer) async throws -> Void) async throws {
        let server = try await HTTPServer(
            configuration: .init(port: 0, webSocket: Self.route), responder: Self.responder,
            logger: HTTPServerTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await body(server)
            server.shutDownGracefully()
            try await group.waitForAll()
        }
    }

    static func upgrade(_ server: HTTPServer) async throws -> NIOAsyncChannel<WebSocketFrame, WebSocketFrame> {
        let outcome = try await WebSocketClient.connect(
            port: server.localPort, path: "/ws", headers: [("X-Token", "good")])
        guard case .upgraded(let channel) = outcome else { throw WebSocketTestFailure.refused }
        return channel
    }

    @Test("an accepted upgrade carries whole messages both ways; fragments are reassembled")
    func echoesMessages() async throws {
        try await Self.withServer { server in
            let channel = try await Self.upgrade(server)
            try await channel.executeThenClose { inbound, outbound in
                var frames = inbound.makeAsyncIterator()
                try await outbound.write(WebSocketClient.frame(.text, "hello"))
                #expect(String(buffer: try #require(try await frames.next()).unmaskedData) == "echo: hello")

                try await outbound.write(WebSocketClient.frame(.text, "frag", fin: false))
                try await outbound.write(WebSocketClient.frame(.continuation, "mented"))
                #expect(String(buffer: try #require(try await frames.next()).unmaskedData) == "echo: fragmented")

                try await outbound.write(WebSocketClient.frame(.ping, "are you there"))
                let pong = try #require(try await frames.next())
                #expect(pong.opcode == .pong && String(buffer: pong.unmaskedData) == "are you there")

                var close = ByteBuffer()
                close.write(webSocketErrorCode: .normalClosure)
                try await outbound.write(WebSocketClient.frame(.connectionClose, close))
                let echoed = try #require(try await frames.next())
                var code = echoed.unmaskedData
                #expect(echoed.opcode == .connectionClose && code.readInteger(as: UInt16.self) == 1000)
            }
        }
    }

    @Test("a declined upgrade is answered by the HTTP responder, and plain requests are unaffected")
    func declinedUpgradeIsPlainHTTP() async throws {
        try await Self.withServer { server in
            let outcome = try await WebSocketClient.connect(port: server.localPort, path: "/ws")
            guard case .refused = outcome else {
                Issue.record("upgrade without the token was accepted")
                return
            }
            let raw = RawHTTPClient(port: server.localPort)
            let (refused, _) = try await raw.send(
                "GET /ws HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
                    + "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
                expecting: 1)
            #expect(refused.hasPrefix("HTTP/1.1 401") && refused.hasSuffix("sign in first"))
            let (plain, _) = try await raw.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n", expecting: 1)
            #expect(plain.hasSuffix("plain"))
        }
    }

    @Test("messages over the limit, invalid UTF-8 text and stray continuations close with the RFC 6455 code")
    func protocolViolationsClose() async throws {
        let cases: [(frames: [WebSocketFrame], code: UInt16)] = [
            (
                (0..<5).map {
                    WebSocketClient.frame(
                        $0 == 0 ? .text : .continuation, String(repeating: "x", count: 1_000), fin: $0 == 4)
                }, 1009
            ),
            ([Self.invalidUTF8Frame()], 1007),
            ([WebSocketClient.frame(.continuation, "orphan")], 1002),
        ]
        try await Self.withServer { server in
            for (frames, expected) in cases {
                let channel = try await Self.upgrade(server)
                try await channel.executeThenClose { inbound, outbound in
                    for frame in frames { try await outbound.write(frame) }
                    var iterator = inbound.makeAsyncIterator()
                    let close = try #require(try await iterator.next())
                    var data = close.unmaskedData
                    #expect(close.opcode == .connectionClose && data.readInteger(as: UInt16.self) == expected)
                }
            }
        }
    }

    @Test("graceful shutdown closes open WebSocket connections with 1001 going away")
    func shutdownSaysGoingAway() async throws {
        let server = try await HTTPServer(
            configuration: .init(port: 0, webSocket: Self.route), responder: Self.responder,
            logger: HTTPServerTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let channel = try await Self.upgrade(server)
            server.shutDownGracefully()
            try await channel.executeThenClose { inbound, _ in
                var iterator = inbound.makeAsyncIterator()
                let close = try #require(try await iterator.next())
                var data = close.unmaskedData
                #expect(close.opcode == .connectionClose && data.readInteger(as: UInt16.self) == 1001)
            }
            try await group.waitForAll()
        }
    }

    static func invalidUTF8Frame() -> WebSocketFrame {
        WebSocketClient.frame(.text, ByteBuffer(bytes: [0xC3, 0x28, 0xFF]))
    }
}

enum WebSocketTestFailure: Error {
    case refused
}
