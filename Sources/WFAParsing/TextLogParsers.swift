import Foundation
import WFACore

/// FortiGate: `date=2024-05-01 time=12:00:00 devname="fw1" devid="FG100E" logid="0000000013" type="traffic" ...`.
enum FortiGateParser {
    static let mapping: FieldMapping = [
        "srcip": .clientIP, "srcport": .clientPort, "srcmac": .clientMAC, "srcname": .clientHostname,
        "dstip": .serverIP, "dstport": .serverPort, "dstmac": .serverMAC, "hostname": .fqdn, "qname": .fqdn,
        "sentbyte": .clientBytes, "rcvdbyte": .serverBytes, "sentpkt": .clientPackets, "rcvdpkt": .serverPackets,
        "user": .userName, "srcuser": .userName, "action": .action, "service": .protocol, "url": .uri,
        "filename": .fileName, "filehash": .fileHash, "attack": .ruleName, "virus": .ruleName, "logid": .vendorCode,
        "cve": .cve,
    ]

    /// Whether the timestamp is read from `key` rather than kept as a field. A switch compares
    /// these short names in place; hashing every key of every event into a set cost more.
    static func isTimeKey(_ key: String) -> Bool {
        switch key {
        case "date", "time", "eventtime", "tz": return true
        default: return false
        }
    }

    static func looksLikeFortiGate(_ pairs: [(String, String)]) -> Bool {
        pairs.contains { $0.0 == "devid" } && pairs.contains { $0.0 == "logid" }
    }

    static func parse(_ pairs: [(String, String)], into artifact: inout Artifact) {
        artifact.vendor = "fortinet"
        artifact.product = "fortigate"
        let values = FirstValues(pairs: pairs)
        let type = values["type"] ?? "event"
        let subtype = values["subtype"] ?? ""
        artifact.streamName = "fortigate_\(type)"
        // The filtered pairs cannot tell `apply` how many they are: most land in `fields`.
        artifact.fields.reserveCapacity(artifact.fields.count + pairs.count)
        artifact.apply(pairs.lazy.filter { !Self.isTimeKey($0.0) }, mapping: Self.mapping)
        if let date = values["date"], let time = values["time"],
            let (stamp, _) = SyslogTimestamp.iso8601(
                Array("\(date)T\(time)\(values["tz"].map(Self.zone) ?? "Z")".utf8), at: 0)
        {
            artifact.timestamp = stamp
        }
        switch (type, subtype) {
        case ("traffic", _): artifact.messageType = .networkFlow
        case ("utm", "virus"): artifact.messageType = .malwareDetected
        case ("utm", "ips"): artifact.messageType = .exploitAttempt
        case ("utm", "webfilter"): artifact.messageType = "web_filter"
        case ("utm", "dns"): artifact.messageType = .dnsQuery
        case ("event", "vpn"), ("event", "user"),
            ("event", "system") where (values["logdesc"] ?? "").lowercased().contains("login"):
            let failed = (values["status"] ?? values["action"] ?? "").lowercased().contains("fail")
            artifact.messageType = failed ? .authFailure : .authSuccess
        default: artifact.messageType = MessageType(rawValue: "fortigate_\(type)")
        }
        switch values["level"] ?? values["crlevel"] {
        case "emergency", "alert", "critical": artifact.severityCode = .critical
        case "error", "high": artifact.severityCode = .high
        case "warning", "medium": artifact.severityCode = .medium
        case "notice", "low": artifact.severityCode = .low
        default: artifact.severityCode = .info
        }
    }

    /// FortiOS writes `tz="-0500"`.
    static func zone(_ text: String) -> String { text.count == 5 ? text : "Z" }
}

/// Apache and nginx access logs, common and combined:
/// `1.2.3.4 - user [10/Oct/2000:13:55:36 -0700] "GET /a HTTP/1.1" 200 2326 "referer" "agent"`.
enum AccessLogParser {
    static func parse(_ bytes: [UInt8], into artifact: inout Artifact) -> Bool {
        let words = bytes.split(separator: .space, maxSplits: 3, omittingEmptySubsequences: false)
        // `host ident user [time] "request" ...`: the fourth word opens the time.
        guard words.count == 4, words[3].first == UInt8(ascii: "[") else { return false }
        let clientText = words[0].utf8String
        guard IPAddress(clientText) != nil || HostName(clientText) != nil,
            let open = bytes.firstIndex(of: UInt8(ascii: "[")),
            let close = bytes[open...].firstIndex(of: UInt8(ascii: "]")),
            let date = Self.time(Array(bytes[(open + 1)..<close]))
        else { return false }
        var rest = bytes[(close + 1)...].drop { $0 == .space }
        guard rest.first == .quote, let requestEnd = rest.dropFirst().firstIndex(of: .quote) else { return false }
        let request = rest[(rest.startIndex + 1)..<requestEnd].utf8String
        rest = rest[(requestEnd + 1)...].drop { $0 == .space }
        let tail = rest.split(separator: .space, maxSplits: 2)
        guard let status = tail.first?.decimalValue else { return false }
        artifact.timestamp = date
        artifact.assign(clientText, to: .clientHostname)
        artifact.assign(words[2].utf8String, to: .userName)
        let parts = request.split(separator: " ")
        if parts.count >= 2 {
            artifact.fields["method"] = String(parts[0])
            artifact.uri = String(parts[1])
            if parts.count >= 3 { artifact.protocol = parts[2].lowercased() }
        }
        artifact.fields["status"] = String(status)
        if tail.count > 1, let size = Int64(tail[1].utf8String) { artifact.serverBytes = size }
        let quoted = rest.split(separator: .quote).map { $0.utf8String }.filter { !$0.trimmingSpaces.isEmpty }
        if quoted.count >= 3 {
            if quoted[1] != "-" { artifact.fields["referer"] = quoted[1] }
            artifact.fields["user_agent"] = quoted[2]
        }
        artifact.vendor = "apache"
        artifact.product = "httpd"
        artifact.streamName = "web_access"
        artifact.messageType = "http_request"
        artifact.action = String(status)
        switch status {
        case 500...: artifact.severityCode = .low
        case 401, 403: artifact.severityCode = .low
        default: artifact.severityCode = .info
        }
        if status == 401 { artifact.messageType = .authFailure }
        return true
    }

    /// `10/Oct/2000:13:55:36 -0700`
    static func time(_ bytes: [UInt8]) -> Date? {
        guard bytes.count >= 20, let day = SyslogTimestamp.number(bytes, at: 0, digits: 2),
            let month = SyslogTimestamp.month(bytes, at: 3), let year = SyslogTimestamp.number(bytes, at: 7, digits: 4),
            let hour = SyslogTimestamp.number(bytes, at: 12, digits: 2),
            let minute = SyslogTimestamp.number(bytes, at: 15, digits: 2),
            let second = SyslogTimestamp.number(bytes, at: 18, digits: 2),
            let date = SyslogTimestamp.date(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, micros: 0)
        else { return nil }
        var offset = 0
        if bytes.count >= 26, let hours = SyslogTimestamp.number(bytes, at: 22, digits: 2),
            let minutes = SyslogTimestamp.number(bytes, at: 24, digits: 2)
        {
            offset = (hours * 3600 + minutes * 60) * (bytes[21] == UInt8(ascii: "-") ? -1 : 1)
        }
        return date.addingTimeInterval(TimeInterval(-offset))
    }
}

/// Apache error log: `[Sun Dec 04 04:47:44 2005] [error] [client 1.2.3.4] message`.
enum ApacheErrorParser {
    static func parse(_ bytes: [UInt8], into artifact: inout Artifact) -> Bool {
        guard bytes.count > 27, bytes[0] == UInt8(ascii: "["), let close = bytes.firstIndex(of: UInt8(ascii: "]")),
            close >= 25, let month = SyslogTimestamp.month(bytes, at: 5),
            let day = SyslogTimestamp.number(bytes, at: 9, digits: 2),
            let hour = SyslogTimestamp.number(bytes, at: 12, digits: 2),
            let minute = SyslogTimestamp.number(bytes, at: 15, digits: 2),
            let second = SyslogTimestamp.number(bytes, at: close - 7, digits: 2),
            let year = SyslogTimestamp.number(bytes, at: close - 4, digits: 4),
            let date = SyslogTimestamp.date(
                year: year, month: month, day: day, hour: hour, minute: minute, second: second, micros: 0)
        else { return false }
        artifact.timestamp = date
        var rest = bytes[(close + 1)...].drop { $0 == .space }
        var level = ""
        if rest.first == UInt8(ascii: "["), let end = rest.firstIndex(of: UInt8(ascii: "]")) {
            level = rest[(rest.startIndex + 1)..<end].utf8String
            rest = rest[(end + 1)...].drop { $0 == .space }
        }
        if rest.starts(with: "[client ".utf8), let end = rest.firstIndex(of: UInt8(ascii: "]")) {
            artifact.assign(rest[(rest.startIndex + 8)..<end].utf8String, to: .clientIP)
            rest = rest[(end + 1)...].drop { $0 == .space }
        }
        artifact.vendor = "apache"
        artifact.product = "httpd"
        artifact.streamName = "web_error"
        artifact.messageType = "web_server_error"
        artifact.fields["level"] = level
        artifact.fields["message"] = rest.utf8String
        artifact.severityCode = JSONLogParser.severity(level) ?? .info
        return true
    }
}
