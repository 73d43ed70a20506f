import Foundation
import NIOSSL
import Testing
import WFAHTTP
import WFATestSupport

struct HTTPServerTLSTests {
    /// A throwaway self-signed certificate from the openssl command line tool.
    static func selfSignedCertificate() throws -> (certificate: String, key: String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wfa-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let certificate = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key,
            "-out", certificate, "-days", "1", "-subj", "/CN=localhost",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        try openssl.run()
        openssl.waitUntilExit()
        try #require(openssl.terminationStatus == 0, "openssl could not make a certificate")
        return (certificate, key)
    }

    @Test("with a TLS configuration the server speaks HTTPS, and refuses plain HTTP")
    func servesHTTPS() async throws {
        let (certificate, key) = try Self.selfSignedCertificate()
        let tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
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
