import Foundation

/// The header of a syslog message, RFC 3164 (BSD) or RFC 5424, and where its message begins.
struct SyslogHeader {
    var facility: Int?
    var severity: Int?
    var timestamp: Date?
    var hostname: String?
    var appName: String?
    var processID: String?
    var messageID: String?
    /// RFC 5424 structured data elements: `id -> [name: value]`.
    var structuredData: [(id: String, parameters: [(String, String)])] = []
    var isRFC5424 = false
    /// Offset of the message (MSG) in the line.
    var messageStart: Int

    /// Reads a header at the start of `bytes`, with or without `<PRI>`. Nil when the line does not
    /// start like syslog.
    static func parse(_ bytes: [UInt8], reference: Date) -> SyslogHeader? {
        var header = SyslogHeader(messageStart: 0)
        var index = 0
        if bytes.first == UInt8(ascii: "<") {
            var value = 0
            index = 1
            while index < bytes.count, index < 5, bytes[index].isDigit {
                value = value * 10 + Int(bytes[index] - 0x30)
                index += 1
            }
            guard index > 1, index < bytes.count, bytes[index] == UInt8(ascii: ">"), value <= 191 else { return nil }
            header.facility = value / 8
            header.severity = value % 8
            index += 1
            if index + 1 < bytes.count, bytes[index] == UInt8(ascii: "1"), bytes[index + 1] == .space {
                header.isRFC5424 = true
                return Self.parse5424(bytes, from: index + 2, header: header)
            }
        }
        // RFC 3164 timestamp `Mmm dd hh:mm:ss`, or an ISO 8601 one (rsyslog's high-precision format).
        if let (date, end) = SyslogTimestamp.bsd(bytes, at: index, reference: reference) {
            header.timestamp = date
            index = end
        } else if let (date, end) = SyslogTimestamp.iso8601(bytes, at: index) {
            header.timestamp = date
            index = end
        } else if header.facility == nil {
            return nil
        }
        index = Self.skipSpaces(bytes, index)
        // HOSTNAME then TAG: `host tag[pid]: msg`. A token ending in ':' right after the
        // timestamp is a tag without a hostname.
        let firstEnd = Self.tokenEnd(bytes, index)
        if firstEnd > index, bytes[firstEnd - 1] != .colon, !Self.looksLikeTag(bytes[index..<firstEnd]) {
            header.hostname = bytes[index..<firstEnd].utf8String
            index = Self.skipSpaces(bytes, firstEnd)
        }
        index = Self.readTag(bytes, from: index, into: &header)
        header.messageStart = index
        return header
    }

    /// `TAG[PID]:` or `TAG:`; a TAG may carry a qualifier, as in `sshd(pam_unix)[123]:`.
    private static func readTag(_ bytes: [UInt8], from start: Int, into header: inout SyslogHeader) -> Int {
        var index = start
        while index < bytes.count, index - start < 64 {
            let byte = bytes[index]
            if byte == .colon || byte == UInt8(ascii: "[") || byte == .space { break }
            index += 1
        }
        guard index < bytes.count, index > start else { return start }
        let tagEnd = index
        var pid: String?
        if bytes[index] == UInt8(ascii: "[") {
            let pidStart = index + 1
            var close = pidStart
            while close < bytes.count, bytes[close] != UInt8(ascii: "]"), close - pidStart < 16 { close += 1 }
            guard close < bytes.count, bytes[close] == UInt8(ascii: "]") else { return start }
            pid = bytes[pidStart..<close].utf8String
            index = close + 1
        }
        guard index < bytes.count, bytes[index] == .colon else { return start }
        // `CEF:0|...` and `LEEF:1.0|...` right after the host are the message, not a tag.
        let tag = bytes[start..<tagEnd]
        if tag.elementsEqual("CEF".utf8) || tag.elementsEqual("LEEF".utf8) { return start }
        header.appName = bytes[start..<tagEnd].utf8String
        header.processID = pid
        return Self.skipSpaces(bytes, index + 1)
    }

    private static func looksLikeTag(_ token: ArraySlice<UInt8>) -> Bool {
        token.contains(UInt8(ascii: "[")) && token.last == .colon
    }

    /// `TIMESTAMP HOSTNAME APP-NAME PROCID MSGID STRUCTURED-DATA [MSG]`, `-` for a nil field.
    private static func parse5424(_ bytes: [UInt8], from start: Int, header: SyslogHeader) -> SyslogHeader? {
        var header = header
        var index = start
        var tokens: [String?] = []
        for _ in 0..<5 {
            let end = Self.tokenEnd(bytes, index)
            guard end > index else { return nil }
            let token = bytes[index..<end]
            tokens.append(token.elementsEqual("-".utf8) ? nil : token.utf8String)
            index = end < bytes.count ? end + 1 : end
        }
        if let stamp = tokens[0] {
            guard let (date, _) = SyslogTimestamp.iso8601(Array(stamp.utf8), at: 0) else { return nil }
            header.timestamp = date
        }
        header.hostname = tokens[1]
        header.appName = tokens[2]
        header.processID = tokens[3]
        header.messageID = tokens[4]
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") {
            index += 1
        } else if index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            guard let end = Self.readStructuredData(bytes, from: index, into: &header) else { return nil }
            index = end
        }
        index = Self.skipSpaces(bytes, index)
        // A UTF-8 BOM may open the message (RFC 5424 §6.4).
        if bytes.count >= index + 3, bytes[index] == 0xEF, bytes[index + 1] == 0xBB, bytes[index + 2] == 0xBF {
            index += 3
        }
        header.messageStart = index
        return header
    }

    /// `[id name="value" ...][id2 ...]` with `\"`, `\\` and `\]` escapes inside values.
    private static func readStructuredData(_ bytes: [UInt8], from start: Int, into header: inout SyslogHeader)
        -> Int?
    {
        var index = start
        while index < bytes.count, bytes[index] == UInt8(ascii: "[") {
            index += 1
            let idEnd = Self.tokenEnd(bytes, index, extraStop: UInt8(ascii: "]"))
            let id = bytes[index..<idEnd].utf8String
            index = idEnd
            var parameters: [(String, String)] = []
            while index < bytes.count, bytes[index] != UInt8(ascii: "]") {
                index = Self.skipSpaces(bytes, index)
                guard let equals = bytes[index...].firstIndex(of: .equals) else { return nil }
                let name = bytes[index..<equals].utf8String
                index = equals + 1
                guard index < bytes.count, bytes[index] == .quote else { return nil }
                index += 1
                var value: [UInt8] = []
                while index < bytes.count, bytes[index] != .quote {
                    if bytes[index] == .backslash, index + 1 < bytes.count {
                        index += 1
                    }
                    value.append(bytes[index])
                    index += 1
                }
                guard index < bytes.count else { return nil }
                index += 1
                parameters.append((name, value.utf8String))
            }
            guard index < bytes.count else { return nil }
            index += 1
            header.structuredData.append((id, parameters))
        }
        return index
    }

    static func skipSpaces(_ bytes: [UInt8], _ index: Int) -> Int {
        var index = index
        while index < bytes.count, bytes[index] == .space { index += 1 }
        return index
    }

    static func tokenEnd(_ bytes: [UInt8], _ index: Int, extraStop: UInt8 = .space) -> Int {
        var end = index
        while end < bytes.count, bytes[end] != .space, bytes[end] != extraStop { end += 1 }
        return end
    }
}
