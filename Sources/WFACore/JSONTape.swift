import Foundation

/// A JSON document read once into a flat list of its values in document order (a tape, as
/// simdjson calls it): each entry is a value's kind, where its bytes are in the message, and where
/// the entries after its own children start. Object members are a key entry then a value entry.
///
/// Reading builds this list and nothing else: no String, array or tree node per value. Parsers
/// look up a few keys of a record by comparing bytes, and make Strings only of what they keep,
/// which took a Windows event's parse from a fifth of it in allocating and freeing the tree.
package final class JSONTape: Sendable {
    package enum Kind: UInt8, Sendable {
        case object, array
        /// A string without escapes: its bytes are its text.
        case string
        /// A string with escapes, decoded when its text is asked for.
        case escapedString
        case integer, decimal
        case `true`, `false`, null
    }

    struct Entry: Sendable {
        var kind: Kind
        /// The value's bytes: a string's without its quotes, a container's from its bracket on.
        var start: Int
        var end: Int
        /// The entry after this value and everything inside it.
        var after: Int
    }

    let bytes: ArraySlice<UInt8>
    let entries: [Entry]

    private init(bytes: ArraySlice<UInt8>, entries: [Entry]) {
        self.bytes = bytes
        self.entries = entries
    }

    /// The document's value, or nil when `bytes` is not exactly one JSON value, or nests deeper
    /// than ``JSONScanner/maximumDepth``.
    package static func read(_ bytes: ArraySlice<UInt8>) -> JSONNode? {
        // Offsets into a buffer pointer: a slice's subscript checks its bounds on every byte, which
        // took most of the reading time.
        let entries = bytes.withUnsafeBufferPointer { buffer -> [Entry]? in
            var reader = Reader(buffer)
            guard reader.readValue(depth: 0) else { return nil }
            reader.skipWhitespace()
            return reader.index == buffer.count ? reader.entries : nil
        }
        return entries.map { JSONNode(tape: JSONTape(bytes: bytes, entries: $0), index: 0) }
    }

    /// Calls `body` with the bytes of the entry at `index`.
    func withBytes<Result>(of index: Int, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        let entry = self.entries[index]
        return self.bytes.withUnsafeBufferPointer { buffer in
            body(UnsafeBufferPointer(rebasing: buffer[entry.start..<entry.end]))
        }
    }

    /// Decodes the escapes of a string's bytes into `output`, or with `output` nil only checks
    /// them; false for an escape JSON does not have. Invalid UTF-8 is left for `String(decoding:)`
    /// to replace: the raw message is kept on the artifact anyway.
    static func unescape(_ content: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]?) -> Bool {
        var index = 0
        while index < content.count {
            // The run up to the next escape in one copy: Windows paths escape a backslash every
            // few bytes, and appending byte by byte showed in profiles.
            var runEnd = content.count
            if let base = content.baseAddress, let found = memchr(base + index, 0x5c, content.count - index) {
                runEnd = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            }
            output?.append(contentsOf: UnsafeBufferPointer(rebasing: content[index..<runEnd]))
            index = runEnd
            guard index < content.count else { return true }
            guard index + 1 < content.count else { return false }
            let escape = content[index + 1]
            index += 2
            if let decoded = Self.simpleEscape(escape) {
                output?.append(decoded)
                continue
            }
            switch escape {
            case UInt8(ascii: "u"):
                guard var scalar = Self.hex4(content, at: index) else { return false }
                index += 4
                // A UTF-16 surrogate pair spells one scalar above U+FFFF.
                if (0xD800..<0xDC00).contains(scalar), content.count - index >= 2, content[index] == UInt8(ascii: "\\"),
                    content[index + 1] == UInt8(ascii: "u")
                {
                    guard let low = Self.hex4(content, at: index + 2), (0xDC00..<0xE000).contains(low) else {
                        return false
                    }
                    index += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                }
                if output != nil { output?.append(contentsOf: String(Unicode.Scalar(scalar) ?? "\u{FFFD}").utf8) }
            default: return false
            }
        }
        return true
    }

    /// The byte a one-letter escape (`\n`, `\"`, …) stands for; nil for `\u` and for letters JSON
    /// has no escape for.
    static func simpleEscape(_ letter: UInt8) -> UInt8? {
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): letter
        case UInt8(ascii: "b"): 0x08
        case UInt8(ascii: "f"): 0x0C
        case UInt8(ascii: "n"): UInt8(ascii: "\n")
        case UInt8(ascii: "r"): UInt8(ascii: "\r")
        case UInt8(ascii: "t"): UInt8(ascii: "\t")
        default: nil
        }
    }

    private static func hex4(_ bytes: UnsafeBufferPointer<UInt8>, at start: Int) -> UInt32? {
        guard bytes.count - start >= 4 else { return nil }
        var value: UInt32 = 0
        for byte in bytes[start..<(start + 4)] {
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    /// Reads the bytes into entries, strict about structure and refusing nesting deeper than
    /// ``JSONScanner/maximumDepth`` instead of recursing without bound.
    private struct Reader {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0
        var entries: [Entry] = []

        init(_ bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
            // About one value per 16 bytes in the logs measured; growing once beats growing often.
            self.entries.reserveCapacity(bytes.count / 16 + 4)
        }

        /// Four calls per object member, and half of them find no whitespace at all: that case
        /// is one comparison where it is called.
        @inline(__always)
        mutating func skipWhitespace() {
            guard self.index < self.bytes.count, self.bytes[self.index] <= UInt8(ascii: " ") else { return }
            self.skipWhitespaceRun()
        }

        @inline(never)
        private mutating func skipWhitespaceRun() {
            // A local index: the loop runs over every byte of indentation, and going through
            // `self` stored it back on every step.
            let bytes = self.bytes
            var index = self.index
            defer { self.index = index }
            while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: " "):
                    // Pretty-printed documents indent in runs of spaces: a run of up to eight is
                    // measured from one load, by the zero bytes that lead its XOR with spaces.
                    if bytes.count - index >= 8, let base = bytes.baseAddress {
                        let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                        let differing = word ^ 0x2020_2020_2020_2020
                        index += differing == 0 ? 8 : differing.trailingZeroBitCount / 8
                    } else {
                        index += 1
                    }
                case UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
                default: return
                }
            }
        }

        private var current: UInt8? { self.index < self.bytes.count ? self.bytes[self.index] : nil }

        mutating func readValue(depth: Int) -> Bool {
            guard depth <= JSONScanner.maximumDepth else { return false }
            self.skipWhitespace()
            switch self.current {
            case nil: return false
            case UInt8(ascii: "{")?: return self.readObject(depth: depth)
            case UInt8(ascii: "[")?: return self.readArray(depth: depth)
            case UInt8(ascii: "\"")?: return self.readString()
            case UInt8(ascii: "t")?: return self.readLiteral("true", kind: .true)
            case UInt8(ascii: "f")?: return self.readLiteral("false", kind: .false)
            case UInt8(ascii: "n")?: return self.readLiteral("null", kind: .null)
            default: return self.readNumber()
            }
        }

        private mutating func append(_ kind: Kind, from start: Int, to end: Int) {
            self.entries.append(Entry(kind: kind, start: start, end: end, after: self.entries.count + 1))
        }

        private mutating func readLiteral(_ word: StaticString, kind: Kind) -> Bool {
            let count = word.utf8CodeUnitCount
            guard self.bytes.count - self.index >= count else { return false }
            let matches = word.withUTF8Buffer { expected in
                self.bytes[self.index..<(self.index + count)].elementsEqual(expected)
            }
            guard matches else { return false }
            self.append(kind, from: self.index, to: self.index + count)
            self.index += count
            return true
        }

        /// Opens a container's entry; `close` fills in where it ends once its children are read.
        private mutating func open(_ kind: Kind) -> Int {
            self.entries.append(Entry(kind: kind, start: self.index, end: self.index, after: 0))
            self.index += 1
            return self.entries.count - 1
        }

        private mutating func close(_ slot: Int) -> Bool {
            self.index += 1
            self.entries[slot].end = self.index
            self.entries[slot].after = self.entries.count
            return true
        }

        private mutating func readObject(depth: Int) -> Bool {
            let slot = self.open(.object)
            self.skipWhitespace()
            if self.current == UInt8(ascii: "}") { return self.close(slot) }
            while true {
                self.skipWhitespace()
                guard self.current == UInt8(ascii: "\""), self.readString() else { return false }
                self.skipWhitespace()
                guard self.current == UInt8(ascii: ":") else { return false }
                self.index += 1
                guard self.readValue(depth: depth + 1) else { return false }
                self.skipWhitespace()
                switch self.current {
                case UInt8(ascii: "}")?: return self.close(slot)
                case UInt8(ascii: ",")?: self.index += 1
                default: return false
                }
            }
        }

        private mutating func readArray(depth: Int) -> Bool {
            let slot = self.open(.array)
            self.skipWhitespace()
            if self.current == UInt8(ascii: "]") { return self.close(slot) }
            while true {
                guard self.readValue(depth: depth + 1) else { return false }
                self.skipWhitespace()
                switch self.current {
                case UInt8(ascii: "]")?: return self.close(slot)
                case UInt8(ascii: ",")?: self.index += 1
                default: return false
                }
            }
        }

        /// A string starting at its opening quote; its escapes are checked here and decoded only
        /// when its text is asked for.
        private mutating func readString() -> Bool {
            let start = self.index + 1
            var escaped = false
            // `\u` escapes are checked whole at the end (hex digits, surrogate pairs); the others
            // are checked here, so a Windows path's backslashes cost no second pass.
            var unicodeEscaped = false
            var index = start
            while index < self.bytes.count {
                index = Self.plainRunEnd(in: self.bytes, from: index)
                guard index < self.bytes.count else { return false }
                let byte = self.bytes[index]
                if byte == UInt8(ascii: "\"") {
                    var none: [UInt8]? = nil
                    guard
                        !unicodeEscaped
                            || JSONTape.unescape(UnsafeBufferPointer(rebasing: self.bytes[start..<index]), into: &none)
                    else { return false }
                    self.append(escaped ? .escapedString : .string, from: start, to: index)
                    self.index = index + 1
                    return true
                }
                if byte == UInt8(ascii: "\\") {
                    guard index + 1 < self.bytes.count else { return false }
                    let letter = self.bytes[index + 1]
                    if letter == UInt8(ascii: "u") {
                        unicodeEscaped = true
                    } else if JSONTape.simpleEscape(letter) == nil {
                        return false
                    }
                    escaped = true
                    index += 2
                    continue
                }
                guard byte >= 0x20 else { return false }
                index += 1
            }
            return false
        }

        /// The first offset from `start` on that holds a quote, a backslash or a control byte, or
        /// the end. Eight bytes at a time (SWAR): string bytes are most of a JSON log, and a byte
        /// loop was most of reading one.
        static func plainRunEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
            let ones: UInt64 = 0x0101_0101_0101_0101
            let highBits: UInt64 = 0x8080_8080_8080_8080
            var index = start
            if let base = bytes.baseAddress {
                while bytes.count - index >= 8 {
                    let word = UInt64(littleEndian: UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self))
                    // A byte is zero in `x` where `(x - 1) & ~x` has its high bit set; below 0x20
                    // where `(x - 0x20) & ~x` does. Set if any byte of the word is special.
                    let quotes = word ^ (ones &* 0x22)
                    let backslashes = word ^ (ones &* 0x5C)
                    let special =
                        (((quotes &- ones) & ~quotes) | ((backslashes &- ones) & ~backslashes)
                            | ((word &- ones &* 0x20) & ~word)) & highBits
                    // The lowest flagged byte is exact (a borrow can only flag bytes above a
                    // special one), so the run ends there: no byte loop over the rest of the word.
                    if special != 0 { return index + special.trailingZeroBitCount / 8 }
                    index += 8
                }
            }
            while index < bytes.count {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { return index }
                index += 1
            }
            return index
        }

        /// `-?digits[.digits][(e|E)[+-]digits]`, kept as its text.
        private mutating func readNumber() -> Bool {
            let start = self.index
            var isInteger = true
            if self.current == UInt8(ascii: "-") { self.index += 1 }
            guard self.skipDigits() else { return false }
            if self.current == UInt8(ascii: ".") {
                isInteger = false
                self.index += 1
                guard self.skipDigits() else { return false }
            }
            if let byte = self.current, byte | 0x20 == UInt8(ascii: "e") {
                isInteger = false
                self.index += 1
                if self.current == UInt8(ascii: "+") || self.current == UInt8(ascii: "-") { self.index += 1 }
                guard self.skipDigits() else { return false }
            }
            self.append(isInteger ? .integer : .decimal, from: start, to: self.index)
            return true
        }

        /// Skips a run of digits; false when there was none.
        private mutating func skipDigits() -> Bool {
            let start = self.index
            while let byte = self.current, byte &- 0x30 < 10 { self.index += 1 }
            return self.index > start
        }
    }
}
