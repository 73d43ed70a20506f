import Foundation
import WFACore

/// IBM QRadar Log Event Extended Format 1.0 and 2.0:
/// `LEEF:1.0|vendor|product|version|eventID|k=v<TAB>k=v` and
/// `LEEF:2.0|vendor|product|version|eventID|delimiter|k=v<delimiter>k=v`.
enum LEEFParser {
    static let mapping: FieldMapping = [
        "src": .clientIP, "srcPort": .clientPort, "srcMAC": .clientMAC, "srcBytes": .clientBytes,
        "srcPackets": .clientPackets, "dst": .serverIP, "dstPort": .serverPort, "dstMAC": .serverMAC,
        "dstBytes": .serverBytes, "dstPackets": .serverPackets, "usrName": .userName, "proto": .protocol,
        "identHostName": .clientHostname, "url": .uri, "action": .action, "fileHash": .fileHash,
        "fileName": .fileName, "filePath": .filePath, "domain": .fqdn, "sender": .emailFrom, "recipient": .emailTo,
        "subject": .emailSubject,
    ]

    static func parse(_ bytes: [UInt8], from start: Int, into artifact: inout Artifact) -> Bool {
        var header: [String] = []
        var index = start + 5
        var fieldStart = index
        let isVersion2 = bytes[index...].starts(with: "2.0".utf8)
        let headerCount = isVersion2 ? 6 : 5
        while index < bytes.count, header.count < headerCount {
            if bytes[index] == .pipe {
                header.append(bytes[fieldStart..<index].utf8String)
                fieldStart = index + 1
            }
            index += 1
        }
        guard header.count == headerCount else { return false }
        var delimiter = UInt8.tab
        if isVersion2 {
            // The delimiter is one character or its hex code (`x09`, `0x5E`, `^`).
            let spec = header[5].lowercased()
            if spec.count == 1, let byte = spec.utf8.first {
                delimiter = byte
            } else if let hex = UInt8(
                spec.replacingOccurrences(of: "0x", with: "").replacingOccurrences(of: "x", with: ""), radix: 16)
            {
                delimiter = hex
            }
        }
        artifact.vendor = header[1]
        artifact.product = header[2]
        artifact.fields["device_version"] = header[3]
        artifact.vendorCode = header[4]
        artifact.streamName = "leef"
        var pairs = KeyValueScanner.pairs(in: Array(bytes[index...]), delimiter: delimiter)
        // Some senders use spaces despite the format's tab; accept both when tabs found nothing.
        if pairs.count <= 1, delimiter == .tab { pairs = KeyValueScanner.pairs(in: Array(bytes[index...])) }
        var deviceTime: String?
        for (key, value) in pairs {
            if let field = Self.mapping[key], artifact.assign(value, to: field) { continue }
            switch key {
            case "sev": artifact.severityCode = CEFParser.severity(value)
            case "devTime": deviceTime = value
            // devTime is read by its shape (epoch milliseconds, ISO 8601 or CEF's `MMM dd yyyy HH:mm:ss`),
            // not by this Java pattern.
            case "devTimeFormat": break
            case "cat": artifact.fields["category"] = value
            default: if !value.isEmpty { artifact.fields[key] = value }
            }
        }
        if let deviceTime, let date = Self.time(deviceTime) { artifact.timestamp = date }
        artifact.messageType = MessageTypeHeuristics.classify(
            [header[4], artifact.fields["category"] ?? "", artifact.action ?? ""], default: .idsEvent)
        return true
    }

    static func time(_ text: String) -> Date? {
        if let millis = Int64(text) { return Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
        if let (date, _) = SyslogTimestamp.iso8601(Array(text.utf8), at: 0) { return date }
        return CEFParser.time(text)
    }
}
