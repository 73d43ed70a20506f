/// Reads `key=value` pairs: values bare (up to the delimiter) or double-quoted (with `\"` escapes),
/// as FortiGate, PAM, Sophos, Juniper and most "kv" exporters write them.
enum KeyValueScanner {
    /// Pairs in `bytes`, in order. Words that are not `key=value` are skipped. Keys are letters,
    /// digits, `_`, `-`, `.`, `:` and `/`; empty values are kept as "".
    static func pairs(in bytes: [UInt8], delimiter: UInt8 = .space) -> [(String, String)] {
        var result: [(String, String)] = []
        var index = 0
        let count = bytes.count
        while index < count {
            while index < count, bytes[index] == delimiter || bytes[index] == .space || bytes[index] == .tab {
                index += 1
            }
            let keyStart = index
            while index < count, Self.isKeyByte(bytes[index]) { index += 1 }
            guard index < count, bytes[index] == .equals, index > keyStart else {
                // Not a pair: skip this word.
                while index < count, bytes[index] != delimiter { index += 1 }
                continue
            }
            let key = bytes[keyStart..<index].utf8String
            index += 1
            if index < count, bytes[index] == .quote {
                index += 1
                let valueStart = index
                var escaped = false
                while index < count, bytes[index] != .quote {
                    if bytes[index] == .backslash, index + 1 < count, bytes[index + 1] == .quote {
                        escaped = true
                        index += 1
                    }
                    index += 1
                }
                let raw = bytes[valueStart..<min(index, count)]
                index += 1
                // Most quoted values hold no `\"`: they are read in place, without a copy.
                result.append((key, escaped ? Self.unescapingQuotes(raw) : raw.utf8String))
            } else {
                let valueStart = index
                while index < count, bytes[index] != delimiter { index += 1 }
                var end = index
                if delimiter != .space {
                    while end > valueStart, bytes[end - 1] == .space { end -= 1 }
                }
                result.append((key, bytes[valueStart..<end].utf8String))
            }
        }
        return result
    }

    /// A quoted value with each `\"` read as `"`.
    static func unescapingQuotes(_ raw: ArraySlice<UInt8>) -> String {
        var value: [UInt8] = []
        value.reserveCapacity(raw.count)
        var index = raw.startIndex
        while index < raw.endIndex {
            if raw[index] == .backslash, index + 1 < raw.endIndex, raw[index + 1] == .quote { index += 1 }
            value.append(raw[index])
            index += 1
        }
        return value.utf8String
    }

    static func isKeyByte(_ byte: UInt8) -> Bool {
        byte.isAlphanumeric || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: ":") || byte == UInt8(ascii: "/")
    }

    /// Whether a message reads as key=value: at least two pairs with non-trivial keys.
    static func looksLikePairs(_ bytes: ArraySlice<UInt8>) -> Bool {
        var pairs = 0
        var index = bytes.startIndex
        var wordStart = true
        var keyLength = 0
        while index < bytes.endIndex, pairs < 2 {
            let byte = bytes[index]
            if byte == .space {
                wordStart = true
                keyLength = 0
            } else if wordStart {
                if byte == .equals, keyLength > 0 {
                    pairs += 1
                    wordStart = false
                } else if Self.isKeyByte(byte) {
                    keyLength += 1
                } else {
                    wordStart = false
                }
            }
            index += 1
        }
        return pairs >= 2
    }
}
