public import HTTPTypes
import NIOConcurrencyHelpers
public import NIOCore
public import NIOWebSocket

/// One complete WebSocket message.
public enum WebSocketMessage: Sendable, Equatable {
    case text(String)
    case binary(ByteBuffer)
}

/// An accepted WebSocket connection, as its handler sees it: whole messages in, messages out.
///
/// Control frames are handled here: pings are answered, a peer's close is echoed and ends
/// ``messages``. Sending suspends while the peer is not reading (the socket is not writable); a
/// publisher that must never wait on one peer uses ``offer(texts:)`` instead, which refuses rather
/// than waits.
public struct WebSocketConnection: Sendable {
    /// The upgrade request.
    public let request: HTTPRequest
    /// Request id, logger and peer address of the upgrade request.
    public let context: HTTPRequestContext
    /// Messages from the peer, in order; ends when the peer closes or breaks the protocol.
    public let messages: WebSocketInboundMessages
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    let channel: any Channel
    /// Bytes offered but not yet handed to the channel on its event loop.
    let offered = NIOLockedValueBox(0)

    /// What ``offer(texts:)`` lets wait for the event loop before it refuses; the socket's own
    /// buffers bound the rest.
    public static let maximumOfferedBytes = 1 << 20

    /// Sends one message as a single frame.
    public func send(_ message: WebSocketMessage) async throws {
        try await self.send(contentsOf: [message])
    }

    /// Sends `messages` in order with one flush.
    public func send(contentsOf messages: [WebSocketMessage]) async throws {
        try await self.outbound.write(
            contentsOf: messages.map { message in
                switch message {
                case .text(let text): WebSocketFrame(fin: true, opcode: .text, data: ByteBuffer(string: text))
                case .binary(let bytes): WebSocketFrame(fin: true, opcode: .binary, data: bytes)
                }
            })
    }

    /// Sends text messages already encoded as UTF-8, in order with one flush. A buffer shared by
    /// many connections is written by each without a copy.
    public func send(texts: [ByteBuffer]) async throws {
        try await self.outbound.write(contentsOf: texts.map { WebSocketFrame(fin: true, opcode: .text, data: $0) })
    }

    /// Writes text messages already encoded as UTF-8, in order with one flush, without waiting and
    /// without a task of its own: the frames go straight to the connection's event loop. When the
    /// peer has left unread what it was sent before (the socket is past its write-buffer high
    /// watermark), or the event loop has yet to write ``maximumOfferedBytes`` offered before,
    /// nothing is written and it returns false; so what a silent peer is owed stays bounded.
    ///
    /// A hub that fans one update out to hundreds of browsers calls this for each from one loop;
    /// awaiting ``send(texts:)`` instead costs a task wake-up per connection, and those wake-ups
    /// queue in the shared concurrency pool in front of the work the update came from.
    public func offer(texts: [ByteBuffer]) -> Bool {
        let size = texts.reduce(0) { $0 + $1.readableBytes }
        let admitted =
            self.channel.isWritable
            && self.offered.withLockedValue { offered in
                guard offered + size <= Self.maximumOfferedBytes || offered == 0 else { return false }
                offered += size
                return true
            }
        guard admitted else { return false }
        let frames = texts.map { WebSocketFrame(fin: true, opcode: .text, data: $0) }
        let (channel, offered) = (self.channel, self.offered)
        channel.eventLoop.execute {
            for frame in frames { channel.write(frame, promise: nil) }
            channel.flush()
            offered.withLockedValue { $0 -= size }
        }
        return true
    }

    /// Sends a ping; the peer's pong is absorbed by ``messages``.
    public func ping() async throws {
        try await self.outbound.write(WebSocketFrame(fin: true, opcode: .ping, data: ByteBuffer()))
    }

    /// Starts the closing handshake with `code` (RFC 6455 §7.4).
    public func close(_ code: WebSocketErrorCode = .normalClosure, reason: String = "") async throws {
        try await self.outbound.write(WebSocketFrame.close(code, reason: reason))
    }
}

/// The message stream of a ``WebSocketConnection``.
public struct WebSocketInboundMessages: AsyncSequence, Sendable {
    public typealias Element = WebSocketMessage
    let frames: NIOAsyncChannelInboundStream<WebSocketFrame>
    let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
    let maximumMessageBytes: Int

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(
            frames: self.frames.makeAsyncIterator(), outbound: self.outbound,
            maximumMessageBytes: self.maximumMessageBytes)
    }

    public struct AsyncIterator: AsyncIteratorProtocol {
        var frames: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator
        let outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>
        let maximumMessageBytes: Int
        var assembly = WebSocketMessageAssembly()
        var finished = false

        init(
            frames: NIOAsyncChannelInboundStream<WebSocketFrame>.AsyncIterator,
            outbound: NIOAsyncChannelOutboundWriter<WebSocketFrame>, maximumMessageBytes: Int
        ) {
            self.frames = frames
            self.outbound = outbound
            self.maximumMessageBytes = maximumMessageBytes
        }

        public mutating func next() async throws -> WebSocketMessage? {
            while !self.finished, let frame = try await self.frames.next() {
                switch self.assembly.receive(frame, maximumMessageBytes: self.maximumMessageBytes) {
                case .none:
                    continue
                case .message(let message):
                    return message
                case .reply(let reply):
                    try await self.outbound.write(reply)
                case .closeAndFinish(let reply):
                    self.finished = true
                    try? await self.outbound.write(reply)
                }
            }
            self.finished = true
            return nil
        }
    }
}

/// Reassembles fragmented messages and decides the answers to control frames (RFC 6455 §5.4–5.5).
struct WebSocketMessageAssembly {
    enum Outcome: Equatable {
        case none
        case message(WebSocketMessage)
        /// Send this frame and keep reading.
        case reply(WebSocketFrame)
        /// Send this close frame; the conversation is over.
        case closeAndFinish(WebSocketFrame)
    }

    private var pendingOpcode: WebSocketOpcode?
    private var pending = ByteBuffer()

    mutating func receive(_ frame: WebSocketFrame, maximumMessageBytes: Int) -> Outcome {
        switch frame.opcode {
        case .ping:
            return .reply(WebSocketFrame(fin: true, opcode: .pong, data: frame.unmaskedData))
        case .pong:
            return .none
        case .connectionClose:
            // Echo the peer's code (§5.5.1); a close without one is answered with a plain close.
            var data = frame.unmaskedData
            let code = data.readInteger(as: UInt16.self).map { WebSocketErrorCode(codeNumber: Int($0)) }
            return .closeAndFinish(WebSocketFrame.close(code ?? .normalClosure, reason: ""))
        case .text, .binary:
            guard self.pendingOpcode == nil else { return .closeAndFinish(.close(.protocolError)) }
            self.pendingOpcode = frame.opcode
            self.pending.clear()
        case .continuation:
            guard self.pendingOpcode != nil else { return .closeAndFinish(.close(.protocolError)) }
        default:
            return .closeAndFinish(.close(.protocolError))
        }
        var data = frame.unmaskedData
        guard self.pending.readableBytes + data.readableBytes <= maximumMessageBytes else {
            return .closeAndFinish(.close(.messageTooLarge))
        }
        self.pending.writeBuffer(&data)
        guard frame.fin, let opcode = self.pendingOpcode else { return .none }
        self.pendingOpcode = nil
        if opcode == .text {
            guard let text = String(validating: self.pending.readableBytesView, as: UTF8.self) else {
                return .closeAndFinish(.close(.dataInconsistentWithMessage))
            }
            return .message(.text(text))
        }
        return .message(.binary(self.pending))
    }
}

extension WebSocketFrame {
    static func close(_ code: WebSocketErrorCode, reason: String = "") -> WebSocketFrame {
        var data = ByteBuffer()
        data.write(webSocketErrorCode: code)
        data.writeString(reason)
        return WebSocketFrame(fin: true, opcode: .connectionClose, data: data)
    }
}
