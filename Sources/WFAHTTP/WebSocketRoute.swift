public import HTTPTypes

/// The hook through which an application takes over a connection as a WebSocket (RFC 6455).
///
/// The server asks ``decide`` about every request that asks to upgrade. Accepting hands the
/// connection to the closure in ``WebSocketUpgradeDecision/accept(headers:handler:)`` once the
/// `101 Switching Protocols` is written; declining lets the request continue as plain HTTP, so the
/// application's responder answers it (with the 401, 403 or 426 it finds right).
public struct WebSocketRoute: Sendable {
    /// Largest frame a peer may send, in bytes; larger ones close the connection with 1009.
    public var maximumFrameBytes: Int
    /// Largest message (all frames of a fragmented message together), in bytes.
    public var maximumMessageBytes: Int
    /// Decides, for one upgrade request, whether and how to accept it. Authentication and the Origin
    /// check belong here: nothing reaches the handler without passing it.
    public var decide: @Sendable (HTTPRequest, HTTPRequestContext) async -> WebSocketUpgradeDecision

    public init(
        maximumFrameBytes: Int = 64 * 1024, maximumMessageBytes: Int = 1024 * 1024,
        decide: @escaping @Sendable (HTTPRequest, HTTPRequestContext) async -> WebSocketUpgradeDecision
    ) {
        self.maximumFrameBytes = maximumFrameBytes
        self.maximumMessageBytes = max(maximumMessageBytes, maximumFrameBytes)
        self.decide = decide
    }
}

/// What ``WebSocketRoute/decide`` says about one upgrade request.
public enum WebSocketUpgradeDecision: Sendable {
    /// Switch protocols, adding `headers` to the 101 response, and give the connection to `handler`.
    /// The connection closes when `handler` returns.
    case accept(headers: HTTPFields = [:], handler: @Sendable (WebSocketConnection) async throws -> Void)
    /// Do not upgrade; the request is served as ordinary HTTP.
    case decline
}
