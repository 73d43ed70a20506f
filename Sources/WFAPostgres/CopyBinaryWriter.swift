import Foundation
import WFACore

/// Builds a `COPY ... FROM STDIN (FORMAT binary)` payload (see the COPY documentation, "Binary
/// Format"): each field is its length and the type's binary form, so the server reads a row
/// without splitting lines, undoing escapes or parsing text timestamps and arrays, which was the
/// larger part of storing an artifact.
///
/// Text cannot hold NUL in PostgreSQL; a NUL becomes U+FFFD rather than failing the whole batch on
/// one hostile log line (as ``CopyTextWriter`` does).
struct CopyBinaryWriter {
    private(set) var bytes: [UInt8]

    /// PostgreSQL counts binary timestamps from 2000-01-01T00:00:00Z.
    private static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000
    private static let textTypeOID: Int32 = 25
    private static let replacementCharacter: [UInt8] = [0xef, 0xbf, 0xbd]

    init(reservingCapacity capacity: Int = 0) {
        self.bytes = []
        self.bytes.reserveCapacity(capacity + 21)
        // Signature, flags (no OIDs), header extension length.
        self.bytes += Array("PGCOPY\n".utf8) + [0xff, 0x0d, 0x0a, 0x00]
        self.append(Int32(0))
        self.append(Int32(0))
    }

    /// Starts a row of `fields` fields; each append after it is one field, in column order.
    mutating func startRow(fields: Int16) {
        self.append(fields)
    }

    /// The payload with its trailer (the writer is used up, so the payload is not copied).
    consuming func finished() -> [UInt8] {
        self.bytes += [0xff, 0xff]
        return self.bytes
    }

    mutating func appendText(_ text: String) {
        var text = text
        self.appendField { writer in text.withUTF8 { writer.appendReplacingNUL($0) } }
    }

    /// Text already encoded as UTF-8 (a JSON document).
    mutating func appendText(utf8 text: [UInt8]) {
        self.appendField { writer in text.withUnsafeBufferPointer { writer.appendReplacingNUL($0) } }
    }

    mutating func appendInt16(_ value: Int16) {
        self.append(Int32(2))
        self.append(value)
    }

    /// A `timestamptz` (microseconds, as PostgreSQL stores them).
    mutating func appendTimestamp(_ date: Date) {
        self.append(Int32(8))
        self.append(EpochMicroseconds.from(date) - Self.postgresEpochMicroseconds)
    }

    mutating func appendBytea(_ value: [UInt8]) {
        self.append(Int32(truncatingIfNeeded: value.count))
        self.bytes += value
    }

    /// A one-dimensional `text[]` (dimensions, no NULLs, element type, then each element as a field).
    mutating func appendTextArray(_ values: [String]) {
        self.appendField { writer in
            writer.append(Int32(values.isEmpty ? 0 : 1))
            writer.append(Int32(0))
            writer.append(Self.textTypeOID)
            if !values.isEmpty {
                writer.append(Int32(truncatingIfNeeded: values.count))
                writer.append(Int32(1))
            }
            for value in values { writer.appendText(value) }
        }
    }

    /// A field whose length is known once `body` has written it.
    private mutating func appendField(_ body: (inout Self) -> Void) {
        let lengthAt = self.bytes.count
        self.append(Int32(0))
        body(&self)
        self.write(Int32(truncatingIfNeeded: self.bytes.count - lengthAt - 4), at: lengthAt)
    }

    private mutating func appendReplacingNUL(_ utf8: UnsafeBufferPointer<UInt8>) {
        guard let base = utf8.baseAddress else { return }
        var start = 0
        while start < utf8.count, let found = memchr(base + start, 0, utf8.count - start) {
            let nul = base.distance(to: found.assumingMemoryBound(to: UInt8.self))
            self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<nul]))
            self.bytes += Self.replacementCharacter
            start = nul + 1
        }
        self.bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
    }

    private mutating func append(_ value: some FixedWidthInteger) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.append(contentsOf: $0) }
    }

    /// Overwrites the bytes at `offset` with `value`, in network order like ``append(_:)``.
    private mutating func write(_ value: some FixedWidthInteger, at offset: Int) {
        withUnsafeBytes(of: value.bigEndian) { self.bytes.replaceSubrange(offset..<offset + $0.count, with: $0) }
    }
}
