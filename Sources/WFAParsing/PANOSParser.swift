import Foundation
import WFACore

/// Palo Alto Networks PAN-OS syslog in its default CSV form: `1,receive time,serial,TYPE,subtype,...`.
/// Field positions are fixed per log type (PAN-OS 8.1 through 11), so each type is a table from
/// position to artifact field; positions a firewall does not send are simply absent.
enum PANOSParser {
    /// Positions shared by TRAFFIC and THREAT logs.
    static let sessionFields: [Int: ArtifactField] = [
        7: .clientIP, 8: .serverIP, 11: .ruleName, 12: .userName, 24: .clientPort, 25: .serverPort, 30: .action,
    ]
    static let sessionExtras: [Int: String] = [
        9: "nat_client_ip", 10: "nat_server_ip", 13: "destination_user", 14: "application", 15: "vsys",
        16: "source_zone", 17: "destination_zone", 18: "inbound_interface", 19: "outbound_interface",
        22: "session_id", 23: "repeat_count", 26: "nat_client_port", 27: "nat_server_port",
    ]
    static let trafficFields: [Int: ArtifactField] = [
        32: .clientBytes, 33: .serverBytes, 44: .clientPackets, 45: .serverPackets,
    ]
    static let trafficExtras: [Int: String] = [
        31: "bytes", 34: "packets", 36: "elapsed_seconds", 37: "category", 41: "source_location",
        42: "destination_location", 46: "session_end_reason",
    ]
    static let threatExtras: [Int: String] = [
        33: "category", 34: "threat_severity", 35: "direction", 38: "source_location", 39: "destination_location",
        46: "user_agent", 47: "file_type", 48: "x_forwarded_for", 49: "referer",
    ]
    static let threatFields: [Int: ArtifactField] = [50: .emailFrom, 51: .emailSubject, 52: .emailTo]
    static let types: Set<String> = [
        "TRAFFIC", "THREAT", "SYSTEM", "CONFIG", "HIP-MATCH", "GLOBALPROTECT", "USERID", "AUTHENTICATION",
        "DECRYPTION", "CORRELATION", "TUNNEL",
    ]

    /// Whether `bytes` is a PAN-OS CSV record: a number, a `yyyy/mm/dd` receive time, a serial and a known type.
    static func recognizes(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard let firstComma = bytes.firstIndex(of: .comma), bytes[bytes.startIndex..<firstComma].decimalValue != nil
        else { return false }
        let head = DelimitedFields.split(bytes.prefix(96), limit: 5)
        return head.count >= 5 && head[1].utf8.count == 19 && Self.time(head[1]) != nil
            && Self.types.contains(head[3])
    }

    /// One past the last position any table or type reads: later fields (PAN-OS 10 sends over a
    /// hundred) are never made into strings.
    static let fieldsRead = 53

    static func parse(_ bytes: ArraySlice<UInt8>, into artifact: inout Artifact) {
        let fields = DelimitedFields.split(bytes, limit: Self.fieldsRead)
        // A TRAFFIC or THREAT event fills about thirty: growing once beats rehashing as it fills.
        artifact.fields.reserveCapacity(32)
        func field(_ position: Int) -> String? {
            guard position < fields.count, !fields[position].isEmpty else { return nil }
            return fields[position]
        }
        let type = fields[3]
        let subtype = fields[4]
        artifact.vendor = "paloaltonetworks"
        artifact.product = "pan-os"
        artifact.streamName = "panos_\(type.lowercased())"
        artifact.vendorCode = subtype.isEmpty ? type : "\(type)/\(subtype)"
        artifact.fields["serial"] = field(2)
        if let generated = field(6).flatMap(Self.time) { artifact.timestamp = generated }
        switch type {
        case "TRAFFIC", "THREAT":
            Self.apply(fields, Self.sessionFields, Self.sessionExtras, into: &artifact)
            if let number = field(29) { artifact.protocol = number.lowercased() }
            if type == "TRAFFIC" {
                Self.apply(fields, Self.trafficFields, Self.trafficExtras, into: &artifact)
                artifact.messageType = .networkFlow
                artifact.severityCode =
                    ["deny", "drop", "reset-client", "reset-server", "reset-both"]
                        .contains(artifact.action ?? "") ? .low : .info
            } else {
                Self.apply(fields, Self.threatFields, Self.threatExtras, into: &artifact)
                Self.parseThreat(subtype: subtype, fields: fields, into: &artifact)
            }
        case "SYSTEM":
            artifact.fields["event_id"] = field(8)
            artifact.fields["object"] = field(9)
            artifact.fields["module"] = field(12)
            let description = field(14) ?? ""
            artifact.fields["message"] = description
            artifact.severityCode = Self.severity(field(13) ?? "")
            Self.parseSystem(eventID: field(8) ?? "", subtype: subtype, description: description, into: &artifact)
        case "CONFIG":
            artifact.assign(field(7) ?? "", to: .clientHostname)
            artifact.fields["command"] = field(9)
            artifact.assign(field(10) ?? "", to: .userName)
            artifact.fields["client"] = field(11)
            artifact.fields["result"] = field(12)
            artifact.fields["path"] = field(13)
            artifact.action = field(9)
            artifact.messageType = .configChange
            artifact.severityCode = .low
        default:
            artifact.messageType = MessageType(rawValue: "panos_\(type.lowercased())")
        }
    }

    private static func parseThreat(subtype: String, fields: [String], into artifact: inout Artifact) {
        let misc = fields.count > 31 ? fields[31] : ""
        let threat = fields.count > 32 ? fields[32] : ""
        // `Eicar Test File(100000)`: the name, then the threat id.
        if let open = threat.lastIndex(of: "("), threat.hasSuffix(")") {
            artifact.ruleName = String(threat[..<open]).trimmingSpaces
            artifact.fields["threat_id"] = String(
                threat[threat.index(after: open)..<threat.index(before: threat.endIndex)])
        } else if !threat.isEmpty {
            artifact.ruleName = threat
        }
        artifact.fields["firewall_rule"] = fields.count > 11 ? fields[11] : nil
        switch subtype {
        case "url":
            artifact.uri = misc
            artifact.messageType = "web_filter"
        case "virus", "wildfire-virus", "wildfire":
            artifact.fileName = misc.isEmpty ? nil : misc
            artifact.messageType = .malwareDetected
        case "spyware": artifact.messageType = .malwareDetected
        case "vulnerability": artifact.messageType = .exploitAttempt
        case "data": artifact.messageType = .dataExfiltration
        case "file":
            artifact.fileName = misc.isEmpty ? nil : misc
            artifact.messageType = "file_transfer"
        default: artifact.messageType = .idsEvent
        }
        if fields.count > 43 { artifact.assign(fields[43], to: .fileHash) }
        artifact.severityCode = Self.severity(fields.count > 34 ? fields[34] : "")
    }

    private static func parseSystem(
        eventID: String, subtype: String, description: String, into artifact: inout Artifact
    ) {
        // `failed authentication for user 'admin'.  Reason: Invalid username/password. From: 10.1.1.5.`
        if let user = Self.quoted(after: "user '", in: description) { artifact.assign(user, to: .userName) }
        if let range = description.byteRange(of: "From: ") {
            let address = Substring(description.utf8[range.upperBound...].prefix { !$0.isWhitespace })
            artifact.assign(String(address.droppingLast(whileIn: [UInt8(ascii: ".")])), to: .clientIP)
        }
        let event = eventID.lowercased()
        if event.containsBytes(of: "auth-fail") || (subtype == "auth" && event.hasSuffix("fail")) {
            artifact.messageType = .authFailure
        } else if event.containsBytes(of: "auth-success") {
            artifact.messageType = .authSuccess
        } else {
            artifact.messageType = MessageTypeHeuristics.classify([eventID, description], default: "system_event")
        }
        artifact.action = eventID.isEmpty ? nil : eventID
    }

    private static func apply(
        _ fields: [String], _ mapping: [Int: ArtifactField], _ extras: [Int: String], into artifact: inout Artifact
    ) {
        for (position, field) in mapping where position < fields.count {
            if !artifact.assign(fields[position], to: field) { artifact.fields[field.rawValue] = fields[position] }
        }
        for (position, name) in extras where position < fields.count && !fields[position].isEmpty {
            artifact.fields[name] = fields[position]
        }
    }

    static func quoted(after marker: String, in text: String) -> String? {
        guard let start = text.byteRange(of: marker)?.upperBound,
            let close = marker.utf8.last,
            let end = text.utf8[start...].firstIndex(of: close)
        else { return nil }
        return String(text[start..<end])
    }

    /// PAN-OS severities: informational, low, medium, high, critical.
    static func severity(_ text: String) -> SeverityCode {
        switch text.lowercased() {
        case "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    /// `2024/05/01 12:00:00`, the firewall's clock, read as UTC.
    static func time(_ text: String) -> Date? {
        var bytes = Array(text.utf8)
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "/"), bytes[7] == UInt8(ascii: "/") else { return nil }
        bytes[4] = UInt8(ascii: "-")
        bytes[7] = UInt8(ascii: "-")
        return SyslogTimestamp.iso8601(bytes, at: 0)?.0
    }
}
