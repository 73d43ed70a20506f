import WFACore

/// Builds a `COPY ... FROM STDIN` payload in PostgreSQL's text format (one row per line,
/// tab-separated, backslash escapes; see the COPY documentation, "Text Format").
struct CopyTextWriter {
    private(set) var bytes: [UInt8] = []
    private var columnsInRow = 0

    init(reservingCapacity capacity: Int = 0) {
        self.bytes.reserveCapacity(capacity)
    }

    private mutating func separate() {
        if self.columnsInRow > 0 { self.bytes.append(0x09) }
        self.columnsInRow += 1
    }

    mutating func endRow() {
        self.bytes.append(0x0a)
        self.columnsInRow = 0
    }

    mutating func appendNull() {
        self.separate()
        self.bytes += [0x5c, 0x4e]  // \N
    }

    /// A text value. PostgreSQL text cannot hold NUL, so a NUL becomes U+FFFD rather than
    /// failing the whole batch on one hostile log line.
    mutating func appendText(_ text: String) {
        self.separate()
        self.appendEscaped(text.utf8)
    }

    /// A text value already encoded as UTF-8 (a JSON document), with the same NUL rule.
    mutating func appendText(utf8 text: [UInt8]) {
        self.separate()
        text.withUnsafeBufferPointer { self.appendEscaped($0) }
    }

    mutating func appendInteger(_ value: some BinaryInteger) {
        self.separate()
        self.bytes.appendDecimal(value)
    }

    /// A `bytea` in hex form: `\x...`, with the backslash itself escaped for COPY.
    mutating func appendBytea(_ value: [UInt8]) {
        self.separate()
        self.bytes += [0x5c, 0x5c, 0x78]
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        for byte in value {
            self.bytes.append(hex[Int(byte >> 4)])
            self.bytes.append(hex[Int(byte & 0x0f)])
        }
    }

    /// A `text[]` literal: `{"a","b"}` with `"` and `\` escaped inside elements.
    mutating func appendTextArray(_ values: [String]) {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        for (index, value) in values.enumerated() {
            if index > 0 { self.bytes.append(UInt8(ascii: ",")) }
            self.bytes.append(UInt8(ascii: "\""))
            for byte in value.utf8 {
                switch byte {
                case UInt8(ascii: "\""): self.bytes += [0x5c, 0x5c, UInt8(ascii: "\"")]  // \" after COPY unescaping
                case 0x5c: self.bytes += [0x5c, 0x5c, 0x5c, 0x5c]  // \\ after COPY unescaping
                default: self.appendEscapedByte(byte)
                }
            }
            self.bytes.append(UInt8(ascii: "\""))
        }
        self.bytes.append(UInt8(ascii: "}"))
    }

    private mutating func appendEscaped(_ utf8: String.UTF8View) {
        if let done = utf8.withContiguousStorageIfAvailable({ self.appendEscaped($0) }) { return done }
        for byte in utf8 { self.appendEscapedByte(byte) }
    }

    /// Runs without a special byte (nearly all of a document) are copied whole.
    private mutating func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>) {
        var runStart = 0
        for index in utf8.indices where Self.needsEscape(utf8[index]) {
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
            self.appendEscapedByte(utf8[index])
            runStart = index + 1
        }
        self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
    }

    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte == 0x5c || byte == 0x09 || byte == 0x0a || byte == 0x0d || byte == 0x00
    }

    private mutating func appendEscapedByte(_ byte: UInt8) {
        switch byte {
        case 0x5c: self.bytes += [0x5c, 0x5c]
        case 0x09: self.bytes += [0x5c, 0x74]
        case 0x0a: self.bytes += [0x5c, 0x6e]
        case 0x0d: self.bytes += [0x5c, 0x72]
        case 0x00: self.bytes += BinaryEncoding.nulReplacement
        default: self.bytes.append(byte)
        }
    }
}
