public import HTTPTypes
public import Logging
public import NIOCore

/// A request as the application sees it: the head and the whole body (already bounded by
/// ``HTTPServer/Configuration/maximumBodyBytes``).
public struct HTTPServerRequest: Sendable {
    public var head: HTTPRequest
    public var body: ByteBuffer

    public init(head: HTTPRequest, body: ByteBuffer = ByteBuffer()) {
        self.head = head
        self.body = body
    }
}

/// A complete response.
public struct HTTPServerResponse: Sendable {
    public var head: HTTPResponse
    public var body: ByteBuffer

    public init(head: HTTPResponse, body: ByteBuffer = ByteBuffer()) {
        self.head = head
        self.body = body
    }

    public init(status: HTTPResponse.Status, contentType: String = "text/plain; charset=utf-8", body: String) {
        var fields = HTTPFields()
        fields[.contentType] = contentType
        self.init(head: HTTPResponse(status: status, headerFields: fields), body: ByteBuffer(string: body))
    }
}

/// What the server knows about a request besides its content.
public struct HTTPRequestContext: Sendable {
    /// Taken from a well-formed `X-Request-ID` header, otherwise generated; echoed in the response.
    public var requestID: String
    /// A logger carrying `request.id`.
    public var logger: Logger
    public var remoteAddress: SocketAddress?

    /// The context of the request being served, for code the responder calls without passing it
    /// along (generated OpenAPI handlers and middleware).
    @TaskLocal public static var current: HTTPRequestContext?
}

/// The application behind the server.
public protocol HTTPResponder: Sendable {
    /// Produces the response to one request. A thrown error becomes a 500 whose body says only
    /// "internal error"; the error itself is logged with the request id.
    func respond(to request: HTTPServerRequest, context: HTTPRequestContext) async throws -> HTTPServerResponse
}

/// A responder made from a closure.
public struct ClosureResponder: HTTPResponder {
    private let body: @Sendable (HTTPServerRequest, HTTPRequestContext) async throws -> HTTPServerResponse

    public init(_ body: @escaping @Sendable (HTTPServerRequest, HTTPRequestContext) async throws -> HTTPServerResponse)
    {
        self.body = body
    }

    public func respond(to request: HTTPServerRequest, context: HTTPRequestContext) async throws -> HTTPServerResponse {
        try await self.body(request, context)
    }
}
