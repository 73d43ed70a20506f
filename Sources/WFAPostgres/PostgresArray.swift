/// Array literals for array parameters (`unnest($2::text[])`), the way batches reach one statement.
enum PostgresArray {
    /// `{"a","b"}`; quotes and backslashes escaped, NUL (which text cannot hold) replaced by U+FFFD.
    static func literal(_ values: some Sequence<String>) -> String {
        // Built as bytes: appending scalar by scalar to a String was a tenth of a pipeline batch.
        var bytes: [UInt8] = [UInt8(ascii: "{")]
        bytes.reserveCapacity(values.underestimatedCount * 24 + 2)
        for value in values {
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(UInt8(ascii: "\""))
            var value = value
            value.withUTF8 { utf8 in
                // Most values (ids, addresses, timestamps) need no escape: one copy, not byte by byte.
                guard utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == 0x5c || $0 == 0 }) else {
                    bytes.append(contentsOf: utf8)
                    return
                }
                for byte in utf8 {
                    switch byte {
                    case UInt8(ascii: "\""): bytes += [0x5c, UInt8(ascii: "\"")]
                    case 0x5c: bytes += [0x5c, 0x5c]
                    case 0: bytes += [0xef, 0xbf, 0xbd]  // U+FFFD
                    default: bytes.append(byte)
                    }
                }
            }
            bytes.append(UInt8(ascii: "\""))
        }
        bytes.append(UInt8(ascii: "}"))
        return String(decoding: bytes, as: UTF8.self)
    }

    static func literal(_ values: some Sequence<Bool>) -> String {
        "{" + values.map { $0 ? "t" : "f" }.joined(separator: ",") + "}"
    }

    static func literal(_ values: some Sequence<Int64>) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}
