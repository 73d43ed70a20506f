/// An IPv4 or IPv6 address in canonical form.
///
/// IPv4 is dotted decimal without leading zeros; IPv6 follows RFC 5952 (lower-case hex, no leading
/// zeros, the longest run of two or more zero groups compressed, the first such run on a tie),
/// so `2001:DB8:0:0:0::1` and `2001:db8::1` become the same graph node. IPv4-mapped IPv6
/// addresses (`::ffff:10.0.0.1`) are reduced to their IPv4 form for the same reason.
public struct IPAddress: Hashable, Sendable, CustomStringConvertible {
    public enum Family: Sendable { case v4, v6 }

    /// The address bytes: 4 for IPv4, 16 for IPv6.
    public let bytes: [UInt8]

    public var family: Family { self.bytes.count == 4 ? .v4 : .v6 }

    /// Parses an IPv4 or IPv6 literal; nil when `text` is not one. An IPv6 zone (`%eth0`) is dropped,
    /// brackets (`[::1]`) are accepted.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: Array(text.utf8)[...])
    }

    /// Parses the UTF-8 bytes of an IPv4 or IPv6 literal, as ``init(_:)`` does its text; for
    /// parsers that hold a log line as bytes.
    public init?(utf8 text: ArraySlice<UInt8>) {
        var utf8 = text
        if utf8.first == UInt8(ascii: "["), utf8.last == UInt8(ascii: "]") {
            utf8 = utf8.dropFirst().dropLast()
        }
        if let zone = utf8.firstIndex(of: UInt8(ascii: "%")) { utf8 = utf8[..<zone] }
        if let v4 = Self.parseIPv4(utf8) {
            self.bytes = v4
        } else if let v6 = Self.parseIPv6(Array(utf8)) {
            let isMapped = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xff && v6[11] == 0xff
            self.bytes = isMapped ? Array(v6[12..<16]) : v6
        } else {
            return nil
        }
    }

    /// An address from its 4 or 16 bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 4 || bytes.count == 16 else { return nil }
        self.bytes = bytes
    }

    public var description: String {
        self.family == .v4 ? self.ipv4Text() : self.ipv6Text()
    }

    /// Dotted decimal written straight into the string's storage: every entity and graph node of an
    /// address is named by this text, and joining four small strings cost a tenth of a parse.
    private func ipv4Text() -> String {
        String(unsafeUninitializedCapacity: 15) { buffer in
            var count = 0
            for (offset, octet) in self.bytes.enumerated() {
                if offset > 0 {
                    buffer[count] = UInt8(ascii: ".")
                    count += 1
                }
                if octet >= 100 {
                    buffer[count] = 0x30 + octet / 100
                    count += 1
                }
                if octet >= 10 {
                    buffer[count] = 0x30 + octet / 10 % 10
                    count += 1
                }
                buffer[count] = 0x30 + octet % 10
                count += 1
            }
            return count
        }
    }

    private func ipv6Text() -> String {
        let groups = stride(from: 0, to: 16, by: 2).map { UInt16(self.bytes[$0]) << 8 | UInt16(self.bytes[$0 + 1]) }
        var bestStart = -1
        var bestLength = 0
        var index = 0
        while index < 8 {
            guard groups[index] == 0 else {
                index += 1
                continue
            }
            var end = index
            while end < 8, groups[end] == 0 { end += 1 }
            if end - index > bestLength {
                bestStart = index
                bestLength = end - index
            }
            index = end
        }
        if bestLength < 2 { bestStart = -1 }  // RFC 5952 §4.2.2: a single zero group is not compressed
        var text = ""
        index = 0
        while index < 8 {
            if index == bestStart {
                text += "::"
                index += bestLength
                continue
            }
            if !text.isEmpty, !text.hasSuffix(":") { text += ":" }
            text += String(groups[index], radix: 16)
            index += 1
        }
        return text
    }

    private static func parseIPv4(_ text: ArraySlice<UInt8>) -> [UInt8]? {
        // Octets gather in an integer; the array is made only for an address (most text tried
        // is not one).
        var packed: UInt32 = 0
        var dots = 0
        var value = 0
        var digits = 0
        for byte in text {
            if byte == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                packed = packed << 8 | UInt32(value)
                dots += 1
                value = 0
                digits = 0
            } else if byte >= 0x30, byte <= 0x39 {
                // Leading zeros are refused: `010.0.0.1` is octal to some tools and decimal to others.
                if digits == 1, value == 0 { return nil }
                value = value * 10 + Int(byte - 0x30)
                digits += 1
                guard value <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        packed = packed << 8 | UInt32(value)
        return [UInt8(packed >> 24), UInt8(packed >> 16 & 0xff), UInt8(packed >> 8 & 0xff), UInt8(packed & 0xff)]
    }

    private static func parseIPv6(_ text: [UInt8]) -> [UInt8]? {
        guard text.count >= 2, text.count <= 45 else { return nil }
        var head: [UInt16] = []
        var tail: [UInt16] = []
        var sawGap = false
        var index = 0
        if text.starts(with: [0x3a, 0x3a]) {
            sawGap = true
            index = 2
        } else if text.first == 0x3a {
            return nil
        }
        var embeddedV4: [UInt8]?
        while index < text.count {
            var end = index
            while end < text.count, text[end] != 0x3a { end += 1 }
            let piece = text[index..<end]
            if piece.contains(UInt8(ascii: ".")) {
                // An embedded IPv4 address may only be the last piece.
                guard end == text.count, let v4 = Self.parseIPv4(piece) else { return nil }
                embeddedV4 = v4
                index = end
                break
            }
            guard (1...4).contains(piece.count), let group = Self.hexGroup(piece) else { return nil }
            if sawGap { tail.append(group) } else { head.append(group) }
            index = end
            guard index < text.count else { break }
            // Past the separator: a second colon marks the `::` gap.
            index += 1
            if index < text.count, text[index] == 0x3a {
                guard !sawGap else { return nil }
                sawGap = true
                index += 1
            } else if index == text.count {
                return nil  // trailing single colon
            }
        }
        var groupCount = head.count + tail.count
        if embeddedV4 != nil { groupCount += 2 }
        if sawGap {
            guard groupCount <= 7 else { return nil }
        } else {
            guard groupCount == 8 else { return nil }
        }
        var groups = head
        groups += Array(repeating: 0, count: 8 - groupCount)
        groups += tail
        var bytes: [UInt8] = []
        bytes.reserveCapacity(16)
        for group in groups { bytes += [UInt8(group >> 8), UInt8(group & 0xff)] }
        if let embeddedV4 { bytes += embeddedV4 }
        return bytes.count == 16 ? bytes : nil
    }

    private static func hexGroup(_ piece: ArraySlice<UInt8>) -> UInt16? {
        var value: UInt16 = 0
        for byte in piece {
            let digit: UInt8
            switch byte {
            case 0x30...0x39: digit = byte - 0x30
            case 0x61...0x66: digit = byte - 0x61 + 10
            case 0x41...0x46: digit = byte - 0x41 + 10
            default: return nil
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }
}

extension IPAddress: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let address = IPAddress(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an IP address")
        }
        self = address
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension IPAddress {
    /// True for RFC 1918 private IPv4, loopback, link-local, and IPv6 unique-local (RFC 4193)
    /// addresses: the default definition of "internal" for graph nodes.
    public var isPrivate: Bool {
        switch self.family {
        case .v4:
            let (a, b) = (self.bytes[0], self.bytes[1])
            return a == 10 || (a == 172 && (16...31).contains(b)) || (a == 192 && b == 168) || a == 127
                || (a == 169 && b == 254)
        case .v6:
            let isLoopback = self.bytes[0..<15].allSatisfy { $0 == 0 } && self.bytes[15] == 1
            return self.bytes[0] & 0xfe == 0xfc || (self.bytes[0] == 0xfe && self.bytes[1] & 0xc0 == 0x80) || isLoopback
        }
    }
}
