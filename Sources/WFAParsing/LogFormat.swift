/// The formats wfa recognizes, as named in `wfa parse` output and in the `format:` tag.
public enum LogFormat: String, Sendable, CaseIterable, Codable {
    case syslog3164 = "syslog_rfc3164"
    case syslog5424 = "syslog_rfc5424"
    case linuxAuth = "linux_auth"
    case cef
    case leef
    case keyValue = "kv"
    case json
    case zeekTSV = "zeek_tsv"
    case zeekJSON = "zeek_json"
    case suricataEVE = "suricata_eve"
    case windowsJSON = "windows_json"
    case windowsXML = "windows_xml"
    case fortiGate = "fortigate"
    case ciscoASA = "cisco_asa"
    case panOS = "panos"
    case pfSenseFilterlog = "pfsense_filterlog"
    case cloudTrail = "aws_cloudtrail"
    case microsoft365 = "m365_audit"
    case entraID = "entra_id"
    case accessLog = "access_log"
    case apacheError = "apache_error"
    case unknown
}

extension LogFormat {
    /// The artifact's `format:` tag. Spelled out, since every message gets one: interpolating it
    /// made a new heap string per message, a literal is shared.
    var tag: String {
        switch self {
        case .syslog3164: "format:syslog_rfc3164"
        case .syslog5424: "format:syslog_rfc5424"
        case .linuxAuth: "format:linux_auth"
        case .cef: "format:cef"
        case .leef: "format:leef"
        case .keyValue: "format:kv"
        case .json: "format:json"
        case .zeekTSV: "format:zeek_tsv"
        case .zeekJSON: "format:zeek_json"
        case .suricataEVE: "format:suricata_eve"
        case .windowsJSON: "format:windows_json"
        case .windowsXML: "format:windows_xml"
        case .fortiGate: "format:fortigate"
        case .ciscoASA: "format:cisco_asa"
        case .panOS: "format:panos"
        case .pfSenseFilterlog: "format:pfsense_filterlog"
        case .cloudTrail: "format:aws_cloudtrail"
        case .microsoft365: "format:m365_audit"
        case .entraID: "format:entra_id"
        case .accessLog: "format:access_log"
        case .apacheError: "format:apache_error"
        case .unknown: "format:unknown"
        }
    }

    /// Whether a message's free text may mention entities the parser did not place in a field.
    /// A `switch`: a set of formats hashed each format's name per message.
    var mayMentionUnplacedEntities: Bool {
        switch self {
        case .syslog3164, .syslog5424, .linuxAuth, .keyValue, .apacheError, .cef, .leef, .ciscoASA: true
        default: false
        }
    }
}
