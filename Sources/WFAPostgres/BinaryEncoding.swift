import Foundation

/// Bytes in PostgreSQL's binary formats, the forms its `send` and `recv` functions use: integers
/// in network order, a field as its length and then its bytes, arrays as dimensions, element type
/// and elements. COPY rows and array parameters are both written with it.
///
/// Text cannot hold NUL in PostgreSQL; a NUL becomes U+FFFD rather than failing a whole batch on
/// one hostile log line.
struct BinaryEncoding {
    /// Element type OIDs (`pg_type`) of the arrays wfa sends.
    enum ElementType: Int32 {
        case bool = 16
        case int8 = 20
        case int4 = 23
        case text = 25
    }

    private(set) var bytes: [UInt8]

    /// What a NUL in text becomes, in every form wfa sends text in (binary, COPY text, literals):
    /// U+FFFD in UTF-8.
    static let nulReplacement: [UInt8] = Array("\u{FFFD}".utf8)

    init(reservingCapacity capacity: Int = 0) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity)
    }

    /// The bytes written (the encoding is used up, so they are not copied).
    consuming func finished() -> [UInt8] { self.bytes }

    mutating func append(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }

    /// A field holding one fixed-width integer: its width, then the value (how `int2`, `int4`,
    /// `int8`, `bool` and `timestamptz` are sent).
    mutating func appendIntegerField(_ value: some FixedWidthInteger) {
        self.append(Int32(MemoryLayout.size(ofValue: value)))
        self.append(value)
    }

    mutating func append(bytes: some Sequence<UInt8>) {
        self.bytes.append(contentsOf: bytes)
    }

    /// A field whose length is known once `body` has written it.
    mutating func appendField(_ body: (inout Self) -> Void) {
        let lengthAt = self.bytes.count
        self.append(Int32(0))
        body(&self)
        self.write(Int32(truncatingIfNeeded: self.bytes.count - lengthAt - 4), at: lengthAt)
    }

    /// A `text` field.
    mutating func appendTextField(_ text: String) {
        var text = text
        self.appendField { encoding in text.withUTF8 { encoding.appendReplacingNUL($0) } }
    }

    /// A `text` field already encoded as UTF-8.
    mutating func appendTextField(utf8 text: [UInt8]) {
        self.appendField { encoding in text.withUnsafeBufferPointer { encoding.appendReplacingNUL($0) } }
    }

    /// A one-dimensional array without NULLs: dimensions, element type, then each element as a
    /// field. The element count is filled in once the elements are written, so a lazy sequence is
    /// read once.
    mutating func appendArray<Elements: Sequence>(
        _ elements: Elements, of type: ElementType, element: (Elements.Element, inout Self) -> Void
    ) {
        let dimensionsAt = self.bytes.count
        self.append(Int32(1))
        self.append(Int32(0))
        self.append(type.rawValue)
        let countAt = self.bytes.count
        self.append(Int32(0))
        self.append(Int32(1))
        var count: Int32 = 0
        for value in elements {
            element(value, &self)
            count += 1
        }
        if count == 0 {
            // An empty array has no dimensions at all.
            self.bytes.removeLast(8)
            self.write(Int32(0), at: dimensionsAt)
        } else {
            self.write(count, at: countAt)
        }
    }

    private mutating func appendReplacingNUL(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return }
        var start = 0
        while start < utf8.count, let found = memchr(base + start, 0, utf8.count - start) {
            let nul = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<nul]))
            self.bytes += Self.nulReplacement
            start = nul + 1
        }
        self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    /// Overwrites the bytes at `offset` with `value`, in network order like ``append(_:)``.
    private mutating func write(_ value: some FixedWidthInteger, at offset: Int) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }
}
