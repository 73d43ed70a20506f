import Foundation
import NIOCore
import NIOPosix

/// Speaks raw bytes to the server, so tests can send exactly what a misbehaving client would.
struct RawHTTPClient {
    let port: Int

    /// Sends `request` and collects what the server answers until `responses` complete responses
    /// have arrived or the server closes the connection.
    /// - Returns: the raw responses, and whether the server closed the connection.
    func send(_ request: String, expecting responses: Int, thenRead: Bool = false) async throws -> (
        String, closed: Bool
    ) {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: self.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        return try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: request))
            var received = ""
            var iterator = inbound.makeAsyncIterator()
            while Self.completeResponses(in: received) < responses {
                guard let chunk = try await iterator.next() else { return (received, true) }
                received += String(buffer: chunk)
            }
            if thenRead {
                while let chunk = try await iterator.next() { received += String(buffer: chunk) }
                return (received, true)
            }
            return (received, false)
        }
    }

    /// Counts responses whose whole body (by Content-Length) has arrived.
    static func completeResponses(in text: String) -> Int {
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
