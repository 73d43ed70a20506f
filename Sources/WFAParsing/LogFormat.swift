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
