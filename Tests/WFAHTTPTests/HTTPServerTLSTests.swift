import Foundation
import NIOSSL
import Testing
import WFAHTTP
import WFATestSupport

struct HTTPServerTLSTests {
    @Test("with a TLS configuration the server speaks HTTPS, and refuses plain HTTP")
    func servesHTTPS() async throws {
        let generated = try await TestCertificate()
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(generated.certificatePEM).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: generated.keyPEM, format: .pem)))
        let server = try await HTTPServer(
            configuration: .init(port: 0, tls: tls), responder: HTTPServerTests.echo, logger: HTTPServerTests.logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            let (secure, _) = try await RawHTTPClient(port: server.localPort, tls: true)
                .send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", expecting: 1)
            #expect(secure.hasPrefix("HTTP/1.1 200"))
            #expect(secure.contains("GET /hello 0"))
            let (plain, closed) = try await RawHTTPClient(port: server.localPort)
                .send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n", expecting: 1)
            #expect(closed && !plain.contains("GET /hello"))
            server.shutDownGracefully()
            try await group.waitForAll()
        }
    }
}
