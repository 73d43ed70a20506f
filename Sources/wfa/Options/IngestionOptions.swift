import ArgumentParser
import Foundation
import WFACore
import WFAIngestion

/// Where the syslog receivers listen.
struct IngestionOptions: ParsableArguments {
    @Option(help: "Address the syslog receivers listen on; 0.0.0.0 for every interface (env WFA_SYSLOG_HOST).")
    var syslogHost: String?

    @Option(help: "Syslog port for both UDP and TCP; 0 picks free ones (env WFA_SYSLOG_PORT, default 5514).")
    var syslogPort: Int?

    @Option(
        help: "Syslog over TLS port, served when --syslog-tls-cert is given (env WFA_SYSLOG_TLS_PORT, default 6514).")
    var syslogTLSPort: Int?

    @Option(help: "PEM certificate chain for syslog over TLS (env WFA_SYSLOG_TLS_CERT; needs --syslog-tls-key).")
    var syslogTLSCert: String?

    @Option(help: "PEM private key for --syslog-tls-cert (env WFA_SYSLOG_TLS_KEY).")
    var syslogTLSKey: String?

    @Option(help: "Org that syslog artifacts belong to (env WFA_SYSLOG_ORG).")
    var syslogOrg: String?

    @Option(help: "Longest syslog message kept whole, in bytes; longer ones are cut and counted.")
    var syslogMaxMessageBytes: Int = 64 * 1024

    @Flag(help: "Do not start the syslog receivers.")
    var noSyslog = false

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var host: String { self.syslogHost ?? self.environment["WFA_SYSLOG_HOST"] ?? "127.0.0.1" }
    var port: Int { self.syslogPort ?? self.environment["WFA_SYSLOG_PORT"].flatMap(Int.init) ?? 5514 }
    var orgID: Org.ID { Org.ID(self.syslogOrg ?? self.environment["WFA_SYSLOG_ORG"] ?? "default") }

    func tcp() throws -> SyslogTCPReceiver.Configuration {
        SyslogTCPReceiver.Configuration(
            host: self.host, port: self.port, orgID: self.orgID, maximumMessageBytes: try self.maximumMessageBytes())
    }

    func udp() -> SyslogUDPReceiver.Configuration {
        SyslogUDPReceiver.Configuration(host: self.host, port: self.port, orgID: self.orgID)
    }

    /// nil when no certificate is configured.
    func tls() throws -> SyslogTCPReceiver.Configuration? {
        guard
            let tls = try TLSFiles.serverConfiguration(
                certificate: self.syslogTLSCert ?? self.environment["WFA_SYSLOG_TLS_CERT"],
                key: self.syslogTLSKey ?? self.environment["WFA_SYSLOG_TLS_KEY"],
                flags: ("--syslog-tls-cert", "--syslog-tls-key"))
        else { return nil }
        return SyslogTCPReceiver.Configuration(
            host: self.host,
            port: self.syslogTLSPort ?? self.environment["WFA_SYSLOG_TLS_PORT"].flatMap(Int.init) ?? 6514,
            orgID: self.orgID, tls: tls, maximumMessageBytes: try self.maximumMessageBytes())
    }

    private func maximumMessageBytes() throws -> Int {
        guard (1_024...(16 * 1024 * 1024)).contains(self.syslogMaxMessageBytes) else {
            throw ValidationError("--syslog-max-message-bytes must be 1024...16777216")
        }
        return self.syslogMaxMessageBytes
    }
}
