import Foundation

/// Writes JSON as UTF-8 bytes, member by member, in the exact form `WireFormat.makeEncoder()`
/// produces: no whitespace, slashes unescaped, the same string escapes.
///
/// `JSONEncoder` builds a tree of boxed values and sorts every object's keys before writing; for
/// the documents every event passes through several times (an artifact on the bus, in the
/// database, in its graph event) that was about half of the pipeline's CPU time. Writers of those
/// documents give the members in sorted key order themselves, and tests hold their output to
/// `JSONEncoder`'s byte for byte.
package struct JSONDocumentWriter {
    package private(set) var bytes: [UInt8] = []
    /// Whether the next key or value follows a sibling and needs a comma first.
    private var followsSibling = false

    package init(reservingCapacity capacity: Int = 0) {
        self.bytes.reserveCapacity(capacity)
    }

    // MARK: - Containers

    package mutating func beginObject() {
        self.separate()
        self.bytes.append(UInt8(ascii: "{"))
        self.followsSibling = false
    }

    package mutating func endObject() {
        self.bytes.append(UInt8(ascii: "}"))
        self.followsSibling = true
    }

    package mutating func beginArray() {
        self.separate()
        self.bytes.append(UInt8(ascii: "["))
        self.followsSibling = false
    }

    package mutating func endArray() {
        self.bytes.append(UInt8(ascii: "]"))
        self.followsSibling = true
    }

    /// A member's key; its value follows.
    package mutating func key(_ key: some StringProtocol) {
        self.separate()
        self.appendQuoted(key)
        self.bytes.append(UInt8(ascii: ":"))
        self.followsSibling = false
    }

    // MARK: - Values

    package mutating func string(_ value: some StringProtocol) {
        self.separate()
        self.appendQuoted(value)
        self.followsSibling = true
    }

    package mutating func integer(_ value: some BinaryInteger) {
        self.separate()
        self.bytes.appendDecimal(value)
        self.followsSibling = true
    }

    /// A value already written as JSON (an ASCII string in quotes, or a nested document).
    package mutating func json(_ encoded: some Sequence<UInt8>) {
        self.separate()
        self.bytes.append(contentsOf: encoded)
        self.followsSibling = true
    }

    /// A time as ``TimestampFormat`` writes it, in quotes.
    mutating func timestamp(_ date: Date) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        TimestampFormat.append(date, to: &self.bytes)
        self.bytes.append(UInt8(ascii: "\""))
        self.followsSibling = true
    }

    /// Bytes as a base64 string (the alphabet needs no escapes).
    mutating func bytesInBase64(_ bytes: [UInt8]) {
        self.separate()
        self.bytes.append(UInt8(ascii: "\""))
        self.bytes += Data(bytes).base64EncodedData()
        self.bytes.append(UInt8(ascii: "\""))
        self.followsSibling = true
    }

    /// A finite number as `JSONEncoder` writes it: Swift's shortest round-trip form, without the
    /// `.0` of an integral value.
    mutating func number(_ value: Double) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        self.json(text.utf8)
    }

    package mutating func strings(_ values: some Sequence<some StringProtocol>) {
        self.beginArray()
        for value in values { self.string(value) }
        self.endArray()
    }

    // MARK: - Members

    package mutating func member(_ key: String, _ value: some StringProtocol) {
        self.key(key)
        self.string(value)
    }

    /// Nothing when `value` is nil, like `encodeIfPresent`.
    package mutating func member(_ key: String, _ value: (some StringProtocol)?) {
        guard let value else { return }
        self.member(key, value)
    }

    package mutating func member(_ key: String, _ value: (some BinaryInteger)?) {
        guard let value else { return }
        self.key(key)
        self.integer(value)
    }

    // MARK: - Escaping

    private mutating func separate() {
        if self.followsSibling { self.bytes.append(UInt8(ascii: ",")) }
    }

    private mutating func appendQuoted(_ text: some StringProtocol) {
        self.bytes.append(UInt8(ascii: "\""))
        // Most values need no escape and are copied whole, checked over their contiguous UTF-8.
        let copied =
            text.utf8.withContiguousStorageIfAvailable { utf8 -> Bool in
                for byte in utf8 where byte < 0x20 || byte == UInt8(ascii: "\"") || byte == 0x5c { return false }
                self.bytes.append(contentsOf: utf8)
                return true
            } ?? false
        if copied {
            self.bytes.append(UInt8(ascii: "\""))
            return
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\""): self.bytes += [0x5c, UInt8(ascii: "\"")]
            case 0x5c: self.bytes += [0x5c, 0x5c]
            case 0x08: self.bytes += [0x5c, UInt8(ascii: "b")]
            case 0x09: self.bytes += [0x5c, UInt8(ascii: "t")]
            case 0x0a: self.bytes += [0x5c, UInt8(ascii: "n")]
            case 0x0c: self.bytes += [0x5c, UInt8(ascii: "f")]
            case 0x0d: self.bytes += [0x5c, UInt8(ascii: "r")]
            case 0..<0x20:
                let hex = Array("0123456789abcdef".utf8)
                self.bytes += [0x5c, UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")]
                self.bytes += [hex[Int(byte >> 4)], hex[Int(byte & 0x0f)]]
            default: self.bytes.append(byte)
            }
        }
        self.bytes.append(UInt8(ascii: "\""))
    }
}
