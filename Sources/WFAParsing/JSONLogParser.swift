import Foundation
import WFACore

/// JSON records: recognizes the producer by its keys (Zeek, Suricata EVE, Windows event exports,
/// CloudTrail, Microsoft 365, Entra ID) and falls back to generic JSON, whose well-known keys
/// (src_ip, user, ...) are mapped and everything else kept flattened in `fields`.
enum JSONLogParser {
    static func parse(_ record: JSONRecord, into artifact: inout Artifact) -> LogFormat {
        let keys = record.object
        if keys["event_type"] != nil, keys["src_ip"] != nil || keys["flow_id"] != nil {
            SuricataParser.parse(record, into: &artifact)
            return .suricataEVE
        }
        if keys["id.orig_h"] != nil || keys["_path"] != nil {
            ZeekParser.parse(record, into: &artifact)
            return .zeekJSON
        }
        if let event = WindowsEvent(json: record) {
            WindowsEventParser.parse(event, into: &artifact)
            return .windowsJSON
        }
        if keys["eventVersion"] != nil, keys["eventSource"] != nil {
            CloudParser.parseCloudTrail(record, into: &artifact)
            return .cloudTrail
        }
        if keys["Workload"] != nil, keys["Operation"] != nil {
            CloudParser.parseMicrosoft365(record, into: &artifact)
            return .microsoft365
        }
        if let signIn = CloudParser.entraRecord(record) {
            CloudParser.parseEntra(signIn, into: &artifact)
            return .entraID
        }
        Self.parseGeneric(record, into: &artifact)
        return .json
    }

    static let genericMapping: FieldMapping = [
        "src_ip": .clientIP, "source_ip": .clientIP, "src": .clientIP, "client_ip": .clientIP, "source.ip": .clientIP,
        "src_port": .clientPort, "source_port": .clientPort, "source.port": .clientPort, "client_port": .clientPort,
        "dst_ip": .serverIP, "dest_ip": .serverIP, "destination_ip": .serverIP, "dst": .serverIP,
        "destination.ip": .serverIP, "server_ip": .serverIP, "dst_port": .serverPort, "dest_port": .serverPort,
        "destination_port": .serverPort, "destination.port": .serverPort, "server_port": .serverPort,
        "user": .userName, "username": .userName, "user_name": .userName, "user.name": .userName,
        "hostname": .serverHostname, "host": .serverHostname, "host.name": .serverHostname,
        "protocol": .protocol, "proto": .protocol, "action": .action, "event.action": .action, "url": .uri,
        "uri": .uri, "url.full": .uri, "domain": .fqdn, "query": .fqdn, "email": .emailFrom, "from": .emailFrom,
        "to": .emailTo, "subject": .emailSubject, "file": .fileName, "file.name": .fileName, "file.path": .filePath,
        "md5": .fileHash, "sha1": .fileHash, "sha256": .fileHash, "file.hash.sha256": .fileHash, "program": .program,
        "process.name": .program, "pid": .pid, "process.pid": .pid, "rule": .ruleName, "rule.name": .ruleName,
        "cve": .cve,
    ]

    static func parseGeneric(_ record: JSONRecord, into artifact: inout Artifact) {
        artifact.streamName = "json"
        let pairs = record.flattened()
        artifact.apply(pairs, mapping: Self.genericMapping)
        Self.takeTimestamp(from: &artifact)
        if let level = record.string("severity") ?? record.string("level") ?? record.string("log.level") {
            artifact.severityCode = Self.severity(level) ?? artifact.severityCode
        }
        let described = [record.string("message") ?? "", record.string("event") ?? "", artifact.action ?? ""]
        artifact.messageType = MessageTypeHeuristics.classify(described, default: .unknown)
        if artifact.messageType == .unknown { artifact.messageType = "event" }
    }

    static let timestampKeys = ["@timestamp", "timestamp", "time", "ts", "eventTime", "date", "datetime"]

    /// Moves the first recognizable time among the usual keys from `fields` to the timestamp.
    static func takeTimestamp(from artifact: inout Artifact) {
        for key in Self.timestampKeys {
            if let text = artifact.fields[key], let date = JSONTime.parse(text) {
                artifact.timestamp = date
                artifact.fields[key] = nil
                return
            }
        }
    }

    static func severity(_ text: String) -> SeverityCode? {
        switch text.lowercased() {
        case "emergency", "emerg", "alert", "critical", "crit", "fatal": return .critical
        case "error", "err", "high": return .high
        case "warning", "warn", "medium": return .medium
        case "notice", "low": return .low
        case "info", "informational", "debug", "trace": return .info
        default: return nil
        }
    }
}

/// Times in JSON logs: RFC 3339 text or seconds since the epoch (Zeek's `ts`).
enum JSONTime {
    static func parse(_ text: String) -> Date? {
        if let (date, _) = SyslogTimestamp.iso8601(Array(text.utf8), at: 0) { return date }
        if let seconds = Double(text), seconds > 0 {
            // Milliseconds when it cannot be seconds (after year 5000).
            return Date(timeIntervalSince1970: seconds > 1e11 ? seconds / 1000 : seconds)
        }
        return nil
    }
}
