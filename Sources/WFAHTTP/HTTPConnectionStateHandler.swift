import HTTPTypes
import NIOCore
import NIOHTTPTypes

/// Carries out ``HTTPConnectionStateMachine``'s decisions on a channel: runs the idle and read timers,
/// closes the connection, and marks responses `Connection: close` while the server quiesces.
final class HTTPConnectionStateHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    private var machine = HTTPConnectionStateMachine()
    private var timer: Scheduled<Void>?
    private let idleTimeout: TimeAmount
    private let readTimeout: TimeAmount

    init(idleTimeout: TimeAmount, readTimeout: TimeAmount) {
        self.idleTimeout = idleTimeout
        self.readTimeout = readTimeout
    }

    func handlerAdded(context: ChannelHandlerContext) {
        if context.channel.isActive { self.perform(self.machine.connectionStarted(), context: context) }
    }

    func channelActive(context: ChannelHandlerContext) {
        self.perform(self.machine.connectionStarted(), context: context)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.timer?.cancel()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch self.unwrapInboundIn(data) {
        case .head: self.perform(self.machine.requestHeadReceived(), context: context)
        case .body: break
        case .end: self.perform(self.machine.requestEndReceived(), context: context)
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch self.unwrapOutboundIn(data) {
        case .head(var head):
            if self.machine.responseHeadSent() == .markResponseClosing {
                head.headerFields[.connection] = "close"
                context.write(self.wrapOutboundOut(.head(head)), promise: promise)
                return
            }
            context.write(data, promise: promise)
        case .body:
            context.write(data, promise: promise)
        case .end:
            let action = self.machine.responseEndSent()
            if action == .close {
                // Close once the response is on the wire.
                let loopBound = NIOLoopBound(context, eventLoop: context.eventLoop)
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.whenComplete { result in
                    promise?.completeWith(result)
                    loopBound.value.close(promise: nil)
                }
                context.write(data, promise: written)
            } else {
                context.write(data, promise: promise)
                self.perform(action, context: context)
            }
        }
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ChannelShouldQuiesceEvent {
            self.perform(self.machine.quiesceRequested(), context: context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    private func perform(_ action: HTTPConnectionStateMachine.Action, context: ChannelHandlerContext) {
        switch action {
        case .none, .markResponseClosing:
            break
        case .startIdleTimer:
            self.schedule(after: self.idleTimeout, context: context) { $0.idleTimerFired() }
        case .startReadTimer:
            self.schedule(after: self.readTimeout, context: context) { $0.readTimerFired() }
        case .cancelTimers:
            self.timer?.cancel()
            self.timer = nil
        case .close:
            self.timer?.cancel()
            self.timer = nil
            context.close(promise: nil)
        }
    }

    private func schedule(
        after delay: TimeAmount, context: ChannelHandlerContext,
        _ event: @escaping (inout HTTPConnectionStateMachine) -> HTTPConnectionStateMachine.Action
    ) {
        self.timer?.cancel()
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        self.timer = context.eventLoop.assumeIsolated().scheduleTask(in: delay) {
            let (handler, context) = loopBound.value
            handler.perform(event(&handler.machine), context: context)
        }
    }
}
