/// What kind of event an artifact records. Extensible: parsers may name types beyond the
/// reference vocabulary, which the static members list.
public struct MessageType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { self.rawValue }

    public static let unknown: Self = "unknown"
    public static let authSuccess: Self = "auth_success"
    public static let authFailure: Self = "auth_failure"
    public static let networkFlow: Self = "network_flow"
    public static let dnsQuery: Self = "dns_query"
    public static let idsEvent: Self = "ids_event"
    public static let malwareDetected: Self = "malware_detected"
    public static let exploitAttempt: Self = "exploit_attempt"
    public static let phishingEmail: Self = "phishing_email"
    public static let privilegeEscalation: Self = "privilege_escalation"
    public static let dataExfiltration: Self = "data_exfiltration"
    public static let processStart: Self = "process_start"
    public static let configChange: Self = "config_change"
}
