import Foundation
import WFACore

/// ArcSight Common Event Format: `CEF:0|vendor|product|version|signature|name|severity|k=v ...`.
enum CEFParser {
    static let mapping: FieldMapping = [
        "src": .clientIP, "spt": .clientPort, "shost": .clientHostname, "smac": .clientMAC,
        "dst": .serverIP, "dpt": .serverPort, "dhost": .serverHostname, "dmac": .serverMAC,
        "c6a2": .clientIP, "c6a3": .serverIP,
        "suser": .userName, "proto": .protocol, "app": .protocol, "act": .action, "request": .uri,
        "fname": .fileName, "filePath": .filePath, "fileHash": .fileHash, "in": .clientBytes, "out": .serverBytes,
        "sproc": .program, "spid": .pid, "destinationDnsDomain": .fqdn,
    ]

    /// Whether a column's value, as text, mentions no entity but the one the column itself names:
    /// the entity scan after parsing skips those (an address parsed twice was a tenth of a CEF
    /// event). A `switch`, since a `Set` of fields hashed each field's name.
    static func isSelfContained(_ field: ArtifactField) -> Bool {
        switch field {
        case .clientIP, .serverIP, .clientPort, .serverPort, .clientBytes, .serverBytes, .pid: true
        default: false
        }
    }

    /// Parses `bytes[start...]`, which begins with `CEF:`. Returns the text still to scan for
    /// entities: the bytes up to the extension, then the extension's values but those placed in a
    /// self-contained column (``isSelfContained(_:)``). Nil when the header is incomplete (the
    /// caller then keeps the message as unknown).
    static func parse(_ bytes: [UInt8], from start: Int, into artifact: inout Artifact) -> [UInt8]? {
        var header: [String] = []
        header.reserveCapacity(7)
        var current: [UInt8] = []
        var index = start + 4
        while index < bytes.count, header.count < 7 {
            let byte = bytes[index]
            if byte == .backslash, index + 1 < bytes.count, bytes[index + 1] == .pipe || bytes[index + 1] == .backslash
            {
                current.append(bytes[index + 1])
                index += 2
                continue
            }
            if byte == .pipe {
                header.append(current.utf8String)
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
            index += 1
        }
        guard header.count == 7 else { return nil }
        var unplaced: [UInt8] = []
        unplaced.reserveCapacity(bytes.count)
        unplaced += bytes[..<index]
        func keep(_ value: String) {
            unplaced.append(.space)
            unplaced += value.utf8
        }
        artifact.vendor = header[1]
        artifact.product = header[2]
        artifact.fields["device_version"] = header[3]
        artifact.vendorCode = header[4]
        artifact.ruleName = header[5]
        artifact.severityCode = Self.severity(header[6])
        artifact.streamName = "cef"
        let pairs = Self.extensionPairs(bytes[index...])
        // Most pairs land in `fields`: growing it once beats rehashing it as it fills.
        artifact.fields.reserveCapacity(artifact.fields.count + pairs.count + 1)
        var labels: [String: String] = [:]
        var destinationUser: String?
        for (key, value, isLabel) in pairs where isLabel {
            labels[String(key.dropLast("Label".count))] = value
            keep(value)
        }
        for (key, value, isLabel) in pairs {
            if isLabel { continue }
            if let field = Self.mapping[key], artifact.assign(value, to: field) {
                if !Self.isSelfContained(field) { keep(value) }
                continue
            }
            keep(value)
            switch key {
            case "duser": destinationUser = value
            case "rt", "end": if let date = Self.time(value) { artifact.timestamp = date }
            case "cat": artifact.fields["category"] = value
            case "msg": artifact.fields["message"] = value
            default:
                guard !value.isEmpty else { continue }
                artifact.fields[labels[key] ?? key] = value
            }
        }
        // For an authentication event the destination user is the account tried.
        if artifact.userName == nil, let destinationUser { artifact.assignUser(destinationUser) }
        artifact.messageType = MessageTypeHeuristics.classify(
            [header[5], artifact.fields["category"] ?? "", artifact.action ?? ""], default: .idsEvent)
        return unplaced
    }

    /// The extension: `key=value` separated by spaces, where a value runs until the space before the
    /// next `key=`, and `\\=` `\\\\` `\\n` `\\r` are escapes. Values are found as ranges and copied
    /// once; only a value with an escape is decoded byte by byte.
    static func extensionPairs(_ bytes: ArraySlice<UInt8>) -> [(key: String, value: String, isLabel: Bool)] {
        var pairs: [(key: String, value: String, isLabel: Bool)] = []
        // One pair per `=` at most; counting them is cheaper than growing the list four times.
        pairs.reserveCapacity(bytes.reduce(0) { $0 + ($1 == .equals ? 1 : 0) })
        var key: Range<Int>?
        var valueStart = bytes.startIndex
        var wordStart = bytes.startIndex
        var index = bytes.startIndex
        func finish(valueEnd: Int) {
            guard let key else { return }
            // `cs1Label`-style keys name the custom field of the same prefix.
            let isLabel = key.count >= 5 && bytes[(key.upperBound - 5)..<key.upperBound].elementsEqual("Label".utf8)
            pairs.append((bytes[key].utf8String, Self.value(bytes[valueStart..<valueEnd]), isLabel))
        }
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == .backslash {
                // The escaped byte belongs to the value, whatever it is.
                index += 2
                continue
            }
            if byte == .space {
                wordStart = index + 1
            } else if byte == .equals, wordStart < index,
                bytes[wordStart..<index].allSatisfy({ KeyValueScanner.isKeyByte($0) && $0 != .colon })
            {
                // `word=` starts the next pair; the word was not part of the previous value.
                finish(valueEnd: wordStart)
                key = wordStart..<index
                valueStart = index + 1
                wordStart = index + 1
            }
            index += 1
        }
        finish(valueEnd: bytes.endIndex)
        return pairs
    }

    /// A value's text: escapes decoded, trailing spaces dropped.
    private static func value(_ raw: ArraySlice<UInt8>) -> String {
        guard raw.contains(.backslash) else {
            var end = raw.endIndex
            while end > raw.startIndex, raw[end - 1] == .space { end -= 1 }
            return raw[..<end].utf8String
        }
        var value: [UInt8] = []
        value.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            let byte = raw[index]
            guard byte == .backslash, index + 1 < raw.endIndex else {
                value.append(byte)
                index += 1
                continue
            }
            switch raw[index + 1] {
            case UInt8(ascii: "n"): value.append(.newline)
            case UInt8(ascii: "r"): value.append(.carriageReturn)
            case let next: value.append(next)
            }
            index += 2
        }
        while value.last == .space { value.removeLast() }
        return value.utf8String
    }

    /// CEF severity 0–10 or Low/Medium/High/Very-High.
    static func severity(_ text: String) -> SeverityCode {
        if let number = Int(text) {
            switch number {
            case 9...: return .critical
            case 7...8: return .high
            case 4...6: return .medium
            case 1...3: return .low
            default: return .info
            }
        }
        switch text.lowercased() {
        case "very-high", "critical": return .critical
        case "high": return .high
        case "medium": return .medium
        case "low": return .low
        default: return .info
        }
    }

    /// `rt` as milliseconds since the epoch or `MMM dd yyyy HH:mm:ss`.
    static func time(_ text: String) -> Date? {
        if let millis = Int64(text) { return Date(timeIntervalSince1970: TimeInterval(millis) / 1000) }
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, let month = SyslogTimestamp.month(bytes, at: 0),
            let day = SyslogTimestamp.number(bytes, at: 4, digits: 2),
            let year = SyslogTimestamp.number(bytes, at: 7, digits: 4),
            let hour = SyslogTimestamp.number(bytes, at: 12, digits: 2),
            let minute = SyslogTimestamp.number(bytes, at: 15, digits: 2),
            let second = SyslogTimestamp.number(bytes, at: 18, digits: 2)
        else { return nil }
        return SyslogTimestamp.date(
            year: year, month: month, day: day, hour: hour, minute: minute, second: second, micros: 0)
    }
}
