import ArgumentParser
import NIOSSL

/// A server TLS configuration from a PEM certificate chain and key, as the flags name them.
enum TLSFiles {
    /// nil when neither is given.
    /// - Throws: a ValidationError naming the flags when only one is given or the files do not load.
    static func serverConfiguration(
        certificate: String?, key: String?, flags: (String, String)
    ) throws -> TLSConfiguration? {
        switch (certificate, key) {
        case (nil, nil):
            return nil
        case (let certificate?, let key?):
            do {
                return TLSConfiguration.makeServerConfiguration(
                    certificateChain: try NIOSSLCertificate.fromPEMFile(certificate).map { .certificate($0) },
                    privateKey: .privateKey(try NIOSSLPrivateKey(file: key, format: .pem)))
            } catch {
                throw ValidationError("cannot load the TLS certificate or key (\(error)); give PEM files")
            }
        default:
            throw ValidationError("\(flags.0) and \(flags.1) go together")
        }
    }
}
