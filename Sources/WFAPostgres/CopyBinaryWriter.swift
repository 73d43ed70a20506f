import Foundation
import WFACore

/// Builds a `COPY ... FROM STDIN (FORMAT binary)` payload (see the COPY documentation, "Binary
/// Format"): each field is its length and the type's binary form, so the server reads a row
/// without splitting lines, undoing escapes or parsing text timestamps and arrays, which was the
/// larger part of storing an artifact.
///
/// NUL in text becomes U+FFFD (see ``BinaryEncoding``) rather than failing the whole batch, as
/// ``CopyTextWriter`` does.
struct CopyBinaryWriter {
    private var encoding: BinaryEncoding

    /// PostgreSQL counts binary timestamps from 2000-01-01T00:00:00Z.
    private static let postgresEpochMicroseconds: Int64 = 946_684_800_000_000

    init(reservingCapacity capacity: Int = 0) {
        self.encoding = BinaryEncoding(reservingCapacity: capacity + 21)
        // Signature, flags (no OIDs), header extension length.
        self.encoding.append(bytes: Array("PGCOPY\n".utf8) + [0xff, 0x0d, 0x0a, 0x00])
        self.encoding.append(Int32(0))
        self.encoding.append(Int32(0))
    }

    /// Starts a row of `fields` fields; each append after it is one field, in column order.
    mutating func startRow(fields: Int16) {
        self.encoding.append(fields)
    }

    /// The payload with its trailer (the writer is used up, so the payload is not copied).
    consuming func finished() -> [UInt8] {
        self.encoding.append(Int16(-1))
        return self.encoding.finished()
    }

    mutating func appendText(_ text: String) {
        self.encoding.appendTextField(text)
    }

    /// Text already encoded as UTF-8 (a JSON document).
    mutating func appendText(utf8 text: [UInt8]) {
        self.encoding.appendTextField(utf8: text)
    }

    mutating func appendInt16(_ value: Int16) {
        self.encoding.appendIntegerField(value)
    }

    /// A `timestamptz` (microseconds, as PostgreSQL stores them).
    mutating func appendTimestamp(_ date: Date) {
        self.encoding.appendIntegerField(EpochMicroseconds.from(date) - Self.postgresEpochMicroseconds)
    }

    mutating func appendBytea(_ value: [UInt8]) {
        self.encoding.append(Int32(truncatingIfNeeded: value.count))
        self.encoding.append(bytes: value)
    }

    /// A one-dimensional `text[]`.
    mutating func appendTextArray(_ values: [String]) {
        self.encoding.appendField { field in
            field.appendArray(values, of: .text) { value, element in element.appendTextField(value) }
        }
    }
}
