import Foundation

/// A throwaway self-signed certificate for `localhost`, made with the openssl command line tool.
///
/// Held in memory as PEM bytes: the files openssl writes are removed before `init` returns, so
/// test runs leave nothing behind in the temporary directory.
public struct TestCertificate: Sendable {
    public let certificatePEM: [UInt8]
    public let keyPEM: [UInt8]

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Waits for openssl without blocking a thread of the cooperative pool.
    public init() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wfa-tls-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificatePath = directory.appendingPathComponent("cert.pem").path
        let keyPath = directory.appendingPathComponent("key.pem").path
        let openssl = Process()
        openssl.executableURL = URL(fileURLWithPath: "/usr/bin/openssl")
        openssl.arguments = [
            "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout",
            keyPath, "-out", certificatePath, "-days", "1", "-subj", "/CN=localhost",
        ]
        openssl.standardOutput = FileHandle.nullDevice
        openssl.standardError = FileHandle.nullDevice
        let status = try await withCheckedThrowingContinuation {
            (continuation: CheckedContinuation<Int32, any Error>) in
            openssl.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do {
                try openssl.run()
            } catch {
                openssl.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        guard status == 0 else { throw Failure(description: "openssl could not make a certificate") }
        self.certificatePEM = Array(try Data(contentsOf: URL(fileURLWithPath: certificatePath)))
        self.keyPEM = Array(try Data(contentsOf: URL(fileURLWithPath: keyPath)))
    }
}
