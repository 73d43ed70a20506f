import Foundation
public import NIOCore
import NIOPosix
import NIOSSL

/// Speaks raw HTTP/1.1 bytes to a server on loopback, so tests can send exactly what a misbehaving client would.
public struct RawHTTPClient: Sendable {
    public let port: Int
    /// Speak TLS (accepting any certificate: test servers use self-signed ones).
    public let tls: Bool

    public init(port: Int, tls: Bool = false) {
        self.port = port
        self.tls = tls
    }

    /// Sends `request` and collects what the server answers until `responses` complete responses
    /// have arrived or the server closes the connection.
    /// - Returns: the raw responses, and whether the server closed the connection.
    public func send(_ request: String, expecting responses: Int, thenRead: Bool = false) async throws -> (
        String, closed: Bool
    ) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: self.port) { [tls = self.tls] channel in
                channel.eventLoop.makeCompletedFuture {
                    if tls {
                        var configuration = TLSConfiguration.makeClientConfiguration()
                        configuration.certificateVerification = .none
                        let context = try NIOSSLContext(configuration: configuration)
                        try channel.pipeline.syncOperations.addHandler(
                            try NIOSSLClientHandler(context: context, serverHostname: nil))
                    }
                    return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            var received = ""
            do {
                try await outbound.write(ByteBuffer(string: request))
            } catch {
                // The server closed first (an idle timer, say); report what a client would see.
                return (received, true)
            }
            var iterator = inbound.makeAsyncIterator()
            // A reset (the server closed with our bytes unread) is a close, as a client sees it.
            func next() async -> ByteBuffer? { try? await iterator.next() }
            while Self.completeResponses(in: received) < responses {
                guard let chunk = await next() else { return (received, true) }
                received += String(buffer: chunk)
            }
            if thenRead {
                while let chunk = await next() { received += String(buffer: chunk) }
                return (received, true)
            }
            return (received, false)
        }
    }

    /// Counts responses whose whole body (by Content-Length) has arrived.
    public static func completeResponses(in text: String) -> Int {
        var count = 0
        var rest = Substring(text)
        while let headEnd = rest.range(of: "\r\n\r\n") {
            let head = rest[..<headEnd.lowerBound].lowercased()
            let length =
                head.split(separator: "\r\n").first { $0.hasPrefix("content-length:") }
                .flatMap { Int($0.dropFirst("content-length:".count).trimmingCharacters(in: .whitespaces)) } ?? 0
            let body = rest[headEnd.upperBound...]
            guard body.utf8.count >= length else { break }
            count += 1
            rest = body.dropFirst(length)
        }
        return count
    }
}

/// One parsed response, for tests that check status, headers and JSON bodies.
public struct ParsedResponse: Sendable {
    public var status: Int
    public var headers: [String: String]
    public var body: String

    /// Parses the first response in `text`; nil when it is not one.
    public init?(_ text: String) {
        guard let headEnd = text.range(of: "\r\n\r\n") else { return nil }
        let lines = text[..<headEnd.lowerBound].split(separator: "\r\n")
        guard let statusLine = lines.first, statusLine.hasPrefix("HTTP/1.1 "),
            let status = Int(statusLine.dropFirst(9).prefix(3))
        else { return nil }
        self.status = status
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(
                in: .whitespaces)
        }
        self.headers = headers
        let length = headers["content-length"].flatMap(Int.init) ?? 0
        self.body = String(text[headEnd.upperBound...].utf8.prefix(length)) ?? ""
    }
}

extension RawHTTPClient {
    /// Sends one request and parses the response.
    public func request(
        _ method: String, _ path: String, headers: [String: String] = [:], body: String? = nil
    ) async throws -> ParsedResponse? {
        var text = "\(method) \(path) HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"
        for (name, value) in headers { text += "\(name): \(value)\r\n" }
        if let body {
            if !headers.keys.contains(where: { $0.lowercased() == "content-type" }) {
                text += "Content-Type: application/json\r\n"
            }
            text += "Content-Length: \(body.utf8.count)\r\n\r\n\(body)"
        } else {
            text += "\r\n"
        }
        let (raw, _) = try await self.send(text, expecting: 1)
        return ParsedResponse(raw)
    }
}
