import WFACore

/// Suricata EVE JSON: one record per alert, flow, dns, http, tls, fileinfo, ... event.
enum SuricataParser {
    static let mapping: FieldMapping = [
        "src_ip": .clientIP, "src_port": .clientPort, "dest_ip": .serverIP, "dest_port": .serverPort,
        "proto": .protocol, "app_proto": .protocol, "flow.bytes_toserver": .clientBytes,
        "flow.bytes_toclient": .serverBytes, "flow.pkts_toserver": .clientPackets,
        "flow.pkts_toclient": .serverPackets, "alert.signature": .ruleName, "alert.signature_id": .vendorCode,
        "alert.action": .action, "dns.rrname": .fqdn, "dns.query.0.rrname": .fqdn, "http.hostname": .fqdn,
        "http.url": .uri, "tls.sni": .fqdn, "fileinfo.filename": .fileName, "fileinfo.sha256": .fileHash,
        "fileinfo.md5": .fileHash, "smtp.mail_from": .emailFrom, "email.from": .emailFrom,
        "email.subject": .emailSubject,
    ]

    static let messageTypes: [String: MessageType] = [
        "alert": .idsEvent, "flow": .networkFlow, "netflow": .networkFlow, "dns": .dnsQuery, "http": "http_request",
        "tls": "tls_session", "fileinfo": "file_transfer", "smtp": "email", "ssh": "ssh_session", "anomaly": .idsEvent,
        "drop": .idsEvent,
    ]

    static func parse(_ record: JSONRecord, into artifact: inout Artifact) {
        let eventType = record.string("event_type") ?? "unknown"
        artifact.vendor = "oisf"
        artifact.product = "suricata"
        artifact.streamName = "suricata_\(eventType)"
        artifact.messageType = Self.messageTypes[eventType] ?? MessageType(rawValue: "suricata_\(eventType)")
        let pairs = record.flattened().filter { $0.0 != "timestamp" && $0.0 != "event_type" }
        artifact.apply(pairs, mapping: Self.mapping)
        if let time = record.string("timestamp"), let date = JSONTime.parse(time) { artifact.timestamp = date }
        if eventType == "alert" {
            // EVE severity: 1 high .. 3 low (4 informational in some rule sets).
            switch record.string("alert.severity") {
            case "1": artifact.severityCode = .high
            case "2": artifact.severityCode = .medium
            case "3": artifact.severityCode = .low
            default: artifact.severityCode = .info
            }
            let category = record.string("alert.category") ?? ""
            artifact.messageType = MessageTypeHeuristics.classify(
                [category, artifact.ruleName ?? ""], default: .idsEvent)
            if artifact.messageType == .networkFlow { artifact.messageType = .idsEvent }
        }
    }
}
