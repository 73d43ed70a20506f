/// Splits one CSV record, as PAN-OS and pfSense write them: fields separated by commas, a field
/// may be double-quoted (then commas inside it are text and `""` is a quote).
enum DelimitedFields {
    /// The fields of `bytes`, at most `limit` of them (the last then ends at the next separator).
    static func split(_ bytes: ArraySlice<UInt8>, separator: UInt8 = .comma, limit: Int = .max) -> [String] {
        var fields: [String] = []
        // PAN-OS fields average under ten bytes; reserving for that skips most regrowth.
        fields.reserveCapacity(min(limit, bytes.count / 8 + 1))
        var index = bytes.startIndex
        while fields.count < limit {
            if index < bytes.endIndex, bytes[index] == .quote {
                var value: [UInt8] = []
                index += 1
                while index < bytes.endIndex {
                    if bytes[index] == .quote {
                        if index + 1 < bytes.endIndex, bytes[index + 1] == .quote {
                            value.append(.quote)
                            index += 2
                            continue
                        }
                        index += 1
                        break
                    }
                    value.append(bytes[index])
                    index += 1
                }
                fields.append(value.utf8String)
                // Anything between the closing quote and the separator is kept out; it is malformed.
                while index < bytes.endIndex, bytes[index] != separator { index += 1 }
            } else {
                let start = index
                while index < bytes.endIndex, bytes[index] != separator { index += 1 }
                fields.append(bytes[start..<index].utf8String)
            }
            guard index < bytes.endIndex else { return fields }
            index += 1
        }
        return fields
    }
}
