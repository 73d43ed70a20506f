import NIOCore
import NIOWebSocket

/// Ends a WebSocket connection when the server shuts down gracefully: sends close 1001 (going away)
/// and closes the channel, which ends the handler's message stream so the server can finish draining.
final class WebSocketQuiesceHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = WebSocketFrame
    typealias InboundOut = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        guard event is ChannelShouldQuiesceEvent else {
            context.fireUserInboundEventTriggered(event)
            return
        }
        let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
        context.writeAndFlush(self.wrapOutboundOut(.close(.goingAway))).whenComplete { _ in
            loopBound.value.close(promise: nil)
        }
    }
}
