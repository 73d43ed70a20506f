import HTTPTypes
import NIOCore
import NIOPosix
import Synchronization
import Testing
import WFAHTTP
import WFATestSupport

/// A client that sends requests but never reads the answers must not make the server produce and
/// hold responses without bound: the server answers one request at a time and waits while the
/// socket is not writable, so it stops reading that client's requests.
struct HTTPServerBackpressureTests {
    static let responseBytes = 1 << 20
    static let requestsSent = 400

    @Test("a client that never reads stalls only itself, after a bounded number of responses")
    func neverReadingClientIsBounded() async throws {
        let produced = Mutex(0)
        let responder = ClosureResponder { request, _ in
            if request.head.path == "/big" {
                produced.withLock { $0 += 1 }
                return HTTPServerResponse(
                    head: HTTPResponse(status: .ok), body: ByteBuffer(repeating: 0x61, count: Self.responseBytes))
            }
            return HTTPServerResponse(status: .ok, body: "small")
        }
        try await HTTPServerTests.withServer(.init(port: 0), responder: responder) { server, client in
            // autoRead off: this client's socket is never read, so its receive window fills.
            let stalled = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .channelOption(.autoRead, value: false)
                .connect(host: "127.0.0.1", port: server.localPort).get()
            let requests = String(repeating: "GET /big HTTP/1.1\r\nHost: x\r\n\r\n", count: Self.requestsSent)
            try await stalled.writeAndFlush(ByteBuffer(string: requests))

            // Wait until the server has stopped producing for this client (the count holds still).
            var last = -1
            var steady = 0
            while steady < 5 {
                try await Task.sleep(for: .milliseconds(200))
                let now = produced.withLock { $0 }
                steady = now == last ? steady + 1 : 0
                last = now
            }
            // What a never-reading peer can cost: the kernel's send and receive buffers on loopback
            // (a few MiB each) plus the one response in hand. Without back pressure it would be all 400.
            #expect(last < 32, "server produced \(last) MiB of responses for a client that reads nothing")

            // Others are served meanwhile.
            let (text, _) = try await client.send("GET /small HTTP/1.1\r\nHost: x\r\n\r\n", expecting: 1)
            #expect(text.hasPrefix("HTTP/1.1 200") && text.hasSuffix("small"))
            try await stalled.close()
        }
    }
}
