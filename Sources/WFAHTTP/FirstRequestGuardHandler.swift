import HTTPTypes
import NIOCore
import NIOHTTP1

/// Guards a connection whose first request may ask for a WebSocket upgrade, until that request's
/// head is complete: NIO's upgrade handler buffers everything before then and has no timer and no
/// answer for a malformed head. This handler closes a connection that sends no complete head within
/// the idle timeout (slowloris), and answers a head that is too large (431) or malformed (400).
/// Once the first head arrives it removes itself; the connection's own handlers take over.
final class FirstRequestGuardHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    private let idleTimeout: TimeAmount
    private var timer: Scheduled<Void>?

    init(idleTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.startTimer(context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.startTimer(context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        context.fireChannelRead(data)
        if case .head = self.unwrapInboundIn(data) {
            self.timer?.cancel()
            self.timer = nil
            context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard let parserError = error as? HTTPParserError else {
            context.close(promise: nil)
            return
        }
        let response = HTTPExchange.answer(to: parserError)
        let body = response.body
        let head = HTTPResponseHead(
            version: .http1_1, status: HTTPResponseStatus(statusCode: response.head.status.code),
            headers: [
                "content-type": "text/plain; charset=utf-8", "content-length": "\(body.readableBytes)",
                "connection": "close", "x-request-id": HTTPExchange.newRequestID(),
            ])
        context.write(self.wrapOutboundOut(.head(head)), promise: nil)
        context.write(self.wrapOutboundOut(.body(.byteBuffer(body))), promise: nil)
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(self.wrapOutboundOut(.end(nil))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }

    private func startTimer(context: ChannelHandlerContext) {
        guard self.timer == nil else { return }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: self.idleTimeout) {
            loopBound.value.close(promise: nil)
        }
    }
}
