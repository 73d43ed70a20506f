import ArgumentParser
import Foundation
import WFACore
import WFAHTTP

/// Where the API listens and how its first admin and token key are set up.
struct APIOptions: ParsableArguments {
    @Option(help: "Address the API listens on (env WFA_API_HOST).")
    var apiHost: String?

    @Option(help: "API port; 0 picks a free one (env WFA_API_PORT).")
    var apiPort: Int?

    @Option(help: "Email of the first admin, created on the first start (env WFA_ADMIN_EMAIL).")
    var adminEmail: String?

    @Option(
        help:
            "Password of the first admin, 12+ characters (env WFA_ADMIN_PASSWORD; asked for when omitted on a terminal)."
    )
    var adminPassword: String?

    @Option(help: "PEM certificate chain: serve the API over HTTPS (env WFA_TLS_CERT; needs --tls-key).")
    var tlsCert: String?

    @Option(help: "PEM private key for --tls-cert (env WFA_TLS_KEY).")
    var tlsKey: String?

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    func serverConfiguration() throws -> HTTPServer.Configuration {
        var configuration = HTTPServer.Configuration()
        configuration.host = self.apiHost ?? self.environment["WFA_API_HOST"] ?? "127.0.0.1"
        configuration.port = self.apiPort ?? self.environment["WFA_API_PORT"].flatMap(Int.init) ?? 8080
        configuration.tls = try TLSFiles.serverConfiguration(
            certificate: self.tlsCert ?? self.environment["WFA_TLS_CERT"],
            key: self.tlsKey ?? self.environment["WFA_TLS_KEY"],
            flags: ("--tls-cert", "--tls-key"))
        return configuration
    }

    /// `https` when TLS is configured.
    var scheme: String { (self.tlsCert ?? self.environment["WFA_TLS_CERT"]) == nil ? "http" : "https" }

    var firstAdminEmail: String { self.adminEmail ?? self.environment["WFA_ADMIN_EMAIL"] ?? "admin@wfa.local" }

    /// The first admin's password from the flag, the environment, or (on a terminal) a prompt.
    func firstAdminPassword(prompt: Bool) -> Secret? {
        if let password = self.adminPassword ?? self.environment["WFA_ADMIN_PASSWORD"] { return Secret(password) }
        guard prompt, isatty(STDIN_FILENO) == 1,
            let typed = getpass("Password for the first admin (\(self.firstAdminEmail)): ")
        else { return nil }
        return Secret(String(cString: typed))
    }
}
