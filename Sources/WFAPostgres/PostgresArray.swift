import Foundation
import WFACore

/// Array parameters (`unnest($2::text[])`), the way batches reach one statement: in binary form
/// for the graph's batches, as text literals where a filter takes one.
///
/// Literals are written as bytes: building each element as a `String` first (then joining them)
/// was most of their cost.
enum PostgresArray {
    /// `{"a","b"}`; quotes and backslashes escaped, NUL (which text cannot hold) replaced by U+FFFD.
    static func literal(_ values: some Sequence<String>) -> String {
        Self.literal(values, reservingPerElement: 24) { value, bytes in
            bytes.append(UInt8(ascii: "\""))
            var value = value
            value.withUTF8 { utf8 in
                // Most values (ids, addresses) need no escape: one copy, not byte by byte.
                guard utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 0x5c || $0 == 0 }) else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: "\""): bytes += [0x5c, UInt8(ascii: "\"")]
                    case 0x5c: bytes += [0x5c, 0x5c]
                    case 0: bytes += BinaryEncoding.nulReplacement
                    default: bytes.append(byte)
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
    }

    /// `{1,-2}`.
    static func literal(_ values: some Sequence<Int64>) -> String {
        Self.literal(values, reservingPerElement: 8) { value, bytes in
            if value < 0 { bytes.append(UInt8(ascii: "-")) }
            let start = bytes.count
            var rest = value.magnitude
            repeat {
                bytes.append(UInt8(ascii: "0") + UInt8(rest % 10))
                rest /= 10
            } while rest > 0
            bytes[start...].reverse()
        }
    }

    /// A `text[]` parameter in binary form: no quoting to write and no literal for the server to
    /// parse. NUL (which text cannot hold) becomes U+FFFD.
    static func binary(_ values: some Sequence<String>) -> PostgresParameter {
        Self.binary(values, of: .text, reservingPerElement: 28) { value, element in element.appendTextField(value) }
    }

    /// A `bool[]` parameter in binary form.
    static func binary(_ values: some Sequence<Bool>) -> PostgresParameter {
        Self.binary(values, of: .bool, reservingPerElement: 5) { value, element in
            element.appendIntegerField(UInt8(value ? 1 : 0))
        }
    }

    /// A `bigint[]` parameter in binary form.
    static func binary(_ values: some Sequence<Int64>) -> PostgresParameter {
        Self.binary(values, of: .int8, reservingPerElement: 12) { value, element in element.appendIntegerField(value) }
    }

    /// Instants as epoch microseconds for a `bigint[]`, which SQL turns back with ``instant(_:)``:
    /// integer input costs the server a fraction of parsing a text timestamp, and a graph batch
    /// sends several per row.
    static func epochMicroseconds(_ dates: some Sequence<Date>) -> PostgresParameter {
        Self.binary(dates.lazy.map { EpochMicroseconds.from($0) })
    }

    /// Days as their index since 1970-01-01 for an `int[]`, which SQL turns back with ``day(_:)``
    /// (date input parses like a timestamp).
    static func dayIndexes(_ days: some Sequence<UTCDay>) -> PostgresParameter {
        Self.binary(days, of: .int4, reservingPerElement: 8) { day, element in
            element.appendIntegerField(Int32(truncatingIfNeeded: day.index))
        }
    }

    private static func binary<Values: Sequence>(
        _ values: Values, of type: BinaryEncoding.ElementType, reservingPerElement width: Int,
        element: (Values.Element, inout BinaryEncoding) -> Void
    ) -> PostgresParameter {
        var encoding = BinaryEncoding(reservingCapacity: 20 + values.underestimatedCount * width)
        encoding.appendArray(values, of: type, element: element)
        return .binary(encoding.finished())
    }

    /// SQL for the `timestamptz` an ``epochMicroseconds(_:)`` element holds; exact (the factor is
    /// one microsecond, applied to an integer below 2^53).
    static func instant(_ element: String) -> String {
        "(timestamptz 'epoch' + \(element) * interval '1 microsecond')"
    }

    /// SQL for the `date` a ``dayIndexes(_:)`` element holds.
    static func day(_ element: String) -> String {
        "(date 'epoch' + \(element))"
    }

    private static func literal<Values: Sequence>(
        _ values: Values, reservingPerElement width: Int, element: (Values.Element, inout [UInt8]) -> Void
    ) -> String {
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(values.underestimatedCount * (width + 1) + 2)
        for value in values {
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            element(value, &bytes)
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }
}
