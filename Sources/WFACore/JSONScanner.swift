/// Reads one JSON document byte by byte into a ``JSONElement`` tree.
///
/// Logs are mostly JSON, and Foundation's parser (with its NSNumber and bridging) cost more than
/// everything else a parser does, so this one builds typed values directly: no `Any`, whose casts
/// took a tenth of a Zeek record's parse, and objects as member lists rather than hashed
/// dictionaries, since a parser looks up a handful of a record's keys once each. It is strict about
/// structure (one value, nothing after it but whitespace) and refuses nesting deeper than
/// ``maximumDepth`` instead of recursing without bound. Invalid UTF-8 inside strings is replaced,
/// not refused: the raw bytes are kept on the artifact anyway.
package struct JSONScanner {
    package static let maximumDepth = 512

    private let bytes: ArraySlice<UInt8>
    private var index: Int

    private init(_ bytes: ArraySlice<UInt8>) {
        self.bytes = bytes
        self.index = bytes.startIndex
    }

    /// The document's value, or nil when `bytes` is not exactly one JSON value.
    package static func value(in bytes: ArraySlice<UInt8>) -> JSONElement? {
        var scanner = JSONScanner(bytes)
        guard let value = scanner.readValue(depth: 0) else { return nil }
        scanner.skipWhitespace()
        return scanner.index == bytes.endIndex ? value : nil
    }

    private mutating func skipWhitespace() {
        while self.index < self.bytes.endIndex {
            switch self.bytes[self.index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): self.index += 1
            default: return
            }
        }
    }

    private mutating func readValue(depth: Int) -> JSONElement? {
        guard depth <= Self.maximumDepth else { return nil }
        self.skipWhitespace()
        guard self.index < self.bytes.endIndex else { return nil }
        switch self.bytes[self.index] {
        case UInt8(ascii: "{"): return self.readObject(depth: depth).map(JSONElement.object)
        case UInt8(ascii: "["): return self.readArray(depth: depth).map(JSONElement.array)
        case UInt8(ascii: "\""): return self.readString().map(JSONElement.string)
        case UInt8(ascii: "t"): return self.readLiteral("true", value: .bool(true))
        case UInt8(ascii: "f"): return self.readLiteral("false", value: .bool(false))
        case UInt8(ascii: "n"): return self.readLiteral("null", value: .null)
        default: return self.readNumber().map(JSONElement.number)
        }
    }

    private mutating func readLiteral(_ word: StaticString, value: JSONElement) -> JSONElement? {
        let count = word.utf8CodeUnitCount
        guard self.bytes.endIndex - self.index >= count else { return nil }
        let matches = word.withUTF8Buffer { expected in
            self.bytes[self.index..<(self.index + count)].elementsEqual(expected)
        }
        guard matches else { return nil }
        self.index += count
        return value
    }

    private mutating func readObject(depth: Int) -> JSONObject? {
        self.index += 1
        var object = JSONObject()
        self.skipWhitespace()
        if self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: "}") {
            self.index += 1
            return object
        }
        while true {
            self.skipWhitespace()
            guard self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: "\""),
                let key = self.readString()
            else {
                return nil
            }
            self.skipWhitespace()
            guard self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: ":") else { return nil }
            self.index += 1
            guard let value = self.readValue(depth: depth + 1) else { return nil }
            object.members.append((key, value))
            self.skipWhitespace()
            guard self.index < self.bytes.endIndex else { return nil }
            let separator = self.bytes[self.index]
            self.index += 1
            if separator == UInt8(ascii: "}") { return object }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    private mutating func readArray(depth: Int) -> [JSONElement]? {
        self.index += 1
        var array: [JSONElement] = []
        self.skipWhitespace()
        if self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: "]") {
            self.index += 1
            return array
        }
        while true {
            guard let value = self.readValue(depth: depth + 1) else { return nil }
            array.append(value)
            self.skipWhitespace()
            guard self.index < self.bytes.endIndex else { return nil }
            let separator = self.bytes[self.index]
            self.index += 1
            if separator == UInt8(ascii: "]") { return array }
            guard separator == UInt8(ascii: ",") else { return nil }
        }
    }

    /// A string starting at the opening quote. Unescaped runs are copied in one piece.
    private mutating func readString() -> String? {
        self.index += 1
        let start = self.index
        while self.index < self.bytes.endIndex {
            let byte = self.bytes[self.index]
            if byte == UInt8(ascii: "\"") {
                defer { self.index += 1 }
                return String(decoding: self.bytes[start..<self.index], as: UTF8.self)
            }
            if byte == UInt8(ascii: "\\") { return self.readEscapedString(from: start) }
            guard byte >= 0x20 else { return nil }
            self.index += 1
        }
        return nil
    }

    private mutating func readEscapedString(from start: Int) -> String? {
        var text = Array(self.bytes[start..<self.index])
        while self.index < self.bytes.endIndex {
            let byte = self.bytes[self.index]
            self.index += 1
            switch byte {
            case UInt8(ascii: "\""): return String(decoding: text, as: UTF8.self)
            case UInt8(ascii: "\\"):
                guard self.index < self.bytes.endIndex else { return nil }
                let escape = self.bytes[self.index]
                self.index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): text.append(escape)
                case UInt8(ascii: "b"): text.append(0x08)
                case UInt8(ascii: "f"): text.append(0x0C)
                case UInt8(ascii: "n"): text.append(UInt8(ascii: "\n"))
                case UInt8(ascii: "r"): text.append(UInt8(ascii: "\r"))
                case UInt8(ascii: "t"): text.append(UInt8(ascii: "\t"))
                case UInt8(ascii: "u"):
                    guard var scalar = self.readHex4() else { return nil }
                    // A UTF-16 surrogate pair spells one scalar above U+FFFF.
                    if (0xD800..<0xDC00).contains(scalar), self.bytes[self.index...].starts(with: "\\u".utf8) {
                        self.index += 2
                        guard let low = self.readHex4(), (0xDC00..<0xE000).contains(low) else { return nil }
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                    text.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8)
                default: return nil
                }
            default:
                guard byte >= 0x20 else { return nil }
                text.append(byte)
                // The run up to the next quote, escape or control byte in one copy: Windows paths
                // escape a backslash every few bytes, and appending byte by byte showed in profiles.
                var runEnd = self.index
                while runEnd < self.bytes.endIndex, self.bytes[runEnd] != UInt8(ascii: "\""),
                    self.bytes[runEnd] != UInt8(ascii: "\\"),
                    self.bytes[runEnd] >= 0x20
                {
                    runEnd += 1
                }
                text.append(contentsOf: self.bytes[self.index..<runEnd])
                self.index = runEnd
            }
        }
        return nil
    }

    private mutating func readHex4() -> UInt32? {
        guard self.bytes.endIndex - self.index >= 4 else { return nil }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = self.bytes[self.index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
            self.index += 1
        }
        return value
    }

    /// `-?digits[.digits][(e|E)[+-]digits]`, kept as its text.
    private mutating func readNumber() -> JSONNumber? {
        let start = self.index
        var isInteger = true
        if self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: "-") { self.index += 1 }
        let digitsStart = self.index
        while self.index < self.bytes.endIndex, self.bytes[self.index].isASCIIDigit { self.index += 1 }
        guard self.index > digitsStart else { return nil }
        if self.index < self.bytes.endIndex, self.bytes[self.index] == UInt8(ascii: ".") {
            isInteger = false
            self.index += 1
            let fractionStart = self.index
            while self.index < self.bytes.endIndex, self.bytes[self.index].isASCIIDigit { self.index += 1 }
            guard self.index > fractionStart else { return nil }
        }
        if self.index < self.bytes.endIndex, self.bytes[self.index] | 0x20 == UInt8(ascii: "e") {
            isInteger = false
            self.index += 1
            if self.index < self.bytes.endIndex,
                self.bytes[self.index] == UInt8(ascii: "+") || self.bytes[self.index] == UInt8(ascii: "-")
            {
                self.index += 1
            }
            let exponentStart = self.index
            while self.index < self.bytes.endIndex, self.bytes[self.index].isASCIIDigit { self.index += 1 }
            guard self.index > exponentStart else { return nil }
        }
        return JSONNumber(text: String(decoding: self.bytes[start..<self.index], as: UTF8.self), isInteger: isInteger)
    }
}

/// A JSON value as ``JSONScanner`` read it.
package enum JSONElement: Sendable {
    case object(JSONObject)
    case array([JSONElement])
    case string(String)
    case number(JSONNumber)
    case bool(Bool)
    case null

    @inlinable package var object: JSONObject? {
        if case .object(let object) = self { return object }
        return nil
    }

    /// Scalars as text; arrays of scalars joined with commas; objects and null as nil.
    package var text: String? {
        switch self {
        case .string(let string): return string
        case .number(let number): return number.normalized
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let elements):
            let parts = elements.compactMap { element -> String? in
                switch element {
                case .object, .array: return nil
                default: return element.text
                }
            }
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        case .object, .null: return nil
        }
    }
}

/// A JSON object's members in document order. Lookups scan the list: records have tens of keys and
/// a parser asks for a few of them, which costs less than hashing every key into a dictionary.
/// A key written twice reads as its last value, as in a dictionary.
package struct JSONObject: Sendable {
    package var members: [(key: String, value: JSONElement)] = []

    package init() {}

    @inlinable package subscript(key: String) -> JSONElement? {
        self.members.last { $0.key == key }?.value
    }

    /// The member named by the UTF-8 bytes of `key`, for paths read without making strings.
    @inlinable package subscript(utf8 key: Substring.UTF8View) -> JSONElement? {
        self.members.last { $0.key.utf8.elementsEqual(key) }?.value
    }
}

/// A JSON number as written, so an id of 20 digits or a price of 0.10 is not rounded through a Double.
package struct JSONNumber: Sendable {
    package var text: String
    package var isInteger: Bool

    /// Integers as written; integral values written as decimals (`1.0`, `1e3`) as integers; others
    /// in Swift's shortest round-trip form.
    package var normalized: String {
        if self.isInteger { return self.text }
        guard let value = Double(self.text) else { return self.text }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}

extension UInt8 {
    fileprivate var isASCIIDigit: Bool { self &- 0x30 < 10 }
}
