import Foundation
import HTTPTypes
import Logging
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// Reads one request from a connection, has it answered, writes the response.
struct HTTPExchange {
    let configuration: HTTPServer.Configuration
    let logger: Logger
    let remote: SocketAddress?

    init(configuration: HTTPServer.Configuration, logger: Logger, remote: SocketAddress?) {
        self.configuration = configuration
        self.logger = logger
        self.remote = remote
    }

    /// Serves the next request on the connection.
    /// - Returns: whether the connection stays open for another request.
    mutating func serveNext(
        from parts: inout NIOAsyncChannelInboundStream<HTTPRequestPart>.AsyncIterator,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPResponsePart>,
        responder: any HTTPResponder
    ) async throws -> Bool {
        var head: HTTPRequest?
        do {
            while head == nil {
                switch try await parts.next() {
                case .head(let received): head = received
                // The end of a declined upgrade request NIO's upgrade handler let through; nothing else
                // produces a part outside a request.
                case .end: continue
                case .body, nil: return false
                }
            }
        } catch let error as HTTPParserError {
            // RFC 9110 §15.5.1 / RFC 6585 §5: answer what we can, then close; the stream is unusable.
            try await self.write(
                Self.answer(to: error), closing: true, requestID: Self.newRequestID(), to: outbound)
            return false
        }
        guard let head else { return false }
        let started = ContinuousClock.now
        let requestID = Self.requestID(from: head)
        var logger = self.logger
        logger[metadataKey: "request.id"] = "\(requestID)"

        if let length = head.headerFields[.contentLength].flatMap(Int.init),
            length > self.configuration.maximumBodyBytes
        {
            // Refuse before reading the body: without this cap a peer could make us buffer gigabytes.
            try await self.write(
                Self.plain(.contentTooLarge, "request body too large"), closing: true, requestID: requestID,
                to: outbound)
            self.logAccess(head, status: .contentTooLarge, started: started, logger: logger)
            return false
        }
        var body = ByteBuffer()
        reading: while true {
            guard let part = try await parts.next() else { return false }
            switch part {
            case .head:
                return false
            case .body(let chunk):
                guard body.readableBytes + chunk.readableBytes <= self.configuration.maximumBodyBytes else {
                    try await self.write(
                        Self.plain(.contentTooLarge, "request body too large"), closing: true, requestID: requestID,
                        to: outbound)
                    self.logAccess(head, status: .contentTooLarge, started: started, logger: logger)
                    return false
                }
                var chunk = chunk
                body.writeBuffer(&chunk)
            case .end:
                break reading
            }
        }

        return try await self.answer(head, body: body, requestID: requestID, to: outbound, responder: responder)
    }

    /// Has `responder` answer a request that has been read whole, and writes the response.
    /// - Returns: whether the connection stays open for another request.
    func answer(
        _ head: HTTPRequest, body: ByteBuffer, requestID: String,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPResponsePart>, responder: any HTTPResponder
    ) async throws -> Bool {
        let started = ContinuousClock.now
        var logger = self.logger
        logger[metadataKey: "request.id"] = "\(requestID)"
        let closing = head.headerFields[.connection]?.lowercased().contains("close") ?? false
        let context = HTTPRequestContext(requestID: requestID, logger: logger, remoteAddress: self.remote)
        let response: HTTPServerResponse
        do {
            response = try await HTTPRequestContext.$current.withValue(context) {
                try await responder.respond(to: HTTPServerRequest(head: head, body: body), context: context)
            }
        } catch {
            logger.error("Request failed", metadata: ["error": "\(String(reflecting: error))"])
            response = Self.plain(.internalServerError, "internal error")
        }
        try await self.write(response, closing: closing, requestID: requestID, to: outbound)
        self.logAccess(head, status: response.head.status, started: started, logger: logger)
        return !closing
    }

    private func write(
        _ response: HTTPServerResponse, closing: Bool, requestID: String,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPResponsePart>
    ) async throws {
        var head = response.head
        head.headerFields[.contentLength] = String(response.body.readableBytes)
        head.headerFields[Self.requestIDField] = requestID
        if closing { head.headerFields[.connection] = "close" }
        try await outbound.write(.head(head))
        if response.body.readableBytes > 0 { try await outbound.write(.body(response.body)) }
        try await outbound.write(.end(nil))
    }

    private func logAccess(
        _ head: HTTPRequest, status: HTTPResponse.Status, started: ContinuousClock.Instant, logger: Logger
    ) {
        let elapsed = ContinuousClock.now - started
        logger.info(
            "HTTP request",
            metadata: [
                "http.method": "\(head.method.rawValue)", "http.target": "\(Self.loggable(head.path ?? ""))",
                "http.status": "\(status.code)",
                "http.duration_ms":
                    "\(elapsed.components.attoseconds / 1_000_000_000_000_000 + elapsed.components.seconds * 1000)",
                "connection.peer": "\(self.remote.map { "\($0)" } ?? "?")",
            ])
    }

    /// Query parameters whose values are credentials (a WebSocket's `access_token`, since
    /// browsers cannot send headers there); the access log shows them as `REDACTED`.
    static let credentialParameters: Set<String> = ["access_token", "token", "api_key", "apikey", "key", "password"]

    /// `target` with the values of credential parameters replaced, so the log never holds a secret.
    static func loggable(_ target: String) -> String {
        guard let question = target.firstIndex(of: "?") else { return target }
        let query = target[target.index(after: question)...]
        let parameters = query.split(separator: "&", omittingEmptySubsequences: false).map { parameter -> String in
            let name = parameter.prefix { $0 != "=" }
            let decoded = name.removingPercentEncoding?.lowercased() ?? name.lowercased()
            guard Self.credentialParameters.contains(decoded), name.count < parameter.count else {
                return String(parameter)
            }
            return name + "=REDACTED"
        }
        return target[...question] + parameters.joined(separator: "&")
    }

    // swift-format-ignore: NeverForceUnwrap
    // A literal that is a valid header token: the initializer cannot fail.
    static let requestIDField = HTTPField.Name("X-Request-ID")!

    /// A client's request id is kept when it is short and plain, so it can be correlated across
    /// systems without letting a client inject text into our logs.
    static func requestID(from head: HTTPRequest) -> String {
        if let offered = head.headerFields[Self.requestIDField], (1...64).contains(offered.utf8.count),
            offered.utf8.allSatisfy({
                $0.isASCIIAlphanumeric || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            })
        {
            return offered
        }
        return Self.newRequestID()
    }

    static func newRequestID() -> String { UUID().uuidString.lowercased() }

    /// The answer to a request head the decoder rejected (RFC 9110 §15.5.1, RFC 6585 §5).
    static func answer(to error: HTTPParserError) -> HTTPServerResponse {
        error == .headerOverflow
            ? Self.plain(.requestHeaderFieldsTooLarge, "request headers too large")
            : Self.plain(.badRequest, "malformed request")
    }

    static func plain(_ status: HTTPResponse.Status, _ message: String) -> HTTPServerResponse {
        HTTPServerResponse(status: status, body: message + "\n")
    }
}

extension UInt8 {
    fileprivate var isASCIIAlphanumeric: Bool {
        (0x30...0x39).contains(self) || (0x41...0x5a).contains(self) || (0x61...0x7a).contains(self)
    }
}
