import WFACore

/// Splits the bytes of a log file into messages: one per line, except for files of pretty-printed
/// JSON (an evtx dump, a CloudTrail `{"Records": [...]}` file, a JSON array), which are split into
/// their top-level values.
public enum MessageSplitter {
    public static func messages(in bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        let start = bytes.firstIndex { !$0.isWhitespace } ?? bytes.endIndex
        if start < bytes.endIndex, bytes[start] == UInt8(ascii: "{") || bytes[start] == UInt8(ascii: "["),
            !Self.firstLineIsComplete(bytes, from: start)
        {
            return Self.jsonValues(bytes, from: start)
        }
        return Self.lines(bytes)
    }

    /// Lines without their terminators; empty lines are skipped.
    public static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: .newline, omittingEmptySubsequences: true).compactMap { line in
            let trimmed = line.last == .carriageReturn ? line.dropLast() : line
            return trimmed.isEmpty ? nil : trimmed
        }
    }

    static func firstLineIsComplete(_ bytes: [UInt8], from start: Int) -> Bool {
        let end = bytes[start...].firstIndex(of: .newline) ?? bytes.endIndex
        return Self.valueEnd(bytes[...], from: start, limit: end) != nil
    }

    /// Index after the JSON value starting at `start` (an object or array), found by bracket depth
    /// outside strings; nil if it does not close before `limit`.
    static func valueEnd(_ bytes: ArraySlice<UInt8>, from start: Int, limit: Int) -> Int? {
        var depth = 0
        var inString = false
        var index = start
        while index < limit {
            let byte = bytes[index]
            if inString {
                if byte == .backslash {
                    index += 1
                } else if byte == .quote {
                    inString = false
                }
            } else if byte == .quote {
                inString = true
            } else if byte == UInt8(ascii: "{") || byte == UInt8(ascii: "[") {
                depth += 1
            } else if byte == UInt8(ascii: "}") || byte == UInt8(ascii: "]") {
                depth -= 1
                if depth == 0 { return index + 1 }
            }
            index += 1
        }
        return nil
    }

    /// The top-level values; a top-level array, or an object holding only a `Records` array,
    /// contributes its elements.
    static func jsonValues(_ bytes: [UInt8], from start: Int) -> [ArraySlice<UInt8>] {
        var values: [ArraySlice<UInt8>] = []
        var index = start
        while index < bytes.count {
            guard bytes[index] == UInt8(ascii: "{") || bytes[index] == UInt8(ascii: "[") else {
                index += 1
                continue
            }
            guard let end = Self.valueEnd(bytes[...], from: index, limit: bytes.count) else {
                values.append(bytes[index...])  // truncated: kept, becomes unknown
                break
            }
            let value = bytes[index..<end]
            if let elements = Self.elements(of: value) {
                values.append(contentsOf: elements)
            } else {
                values.append(value)
            }
            index = end
        }
        return values
    }

    /// Elements of `[...]`, or of `{"Records": [...]}`.
    static func elements(of value: ArraySlice<UInt8>) -> [ArraySlice<UInt8>]? {
        var arrayStart: Int?
        if value.first == UInt8(ascii: "[") {
            arrayStart = value.startIndex
        } else if let key = LogParser.find("\"Records\"", in: Array(value.prefix(64))),
            let open = value[(value.startIndex + key)...].firstIndex(of: UInt8(ascii: "["))
        {
            arrayStart = open
        }
        guard let arrayStart else { return nil }
        var elements: [ArraySlice<UInt8>] = []
        var index = arrayStart + 1
        while index < value.endIndex {
            let byte = value[index]
            if byte == UInt8(ascii: "{") {
                guard let end = Self.valueEnd(value, from: index, limit: value.endIndex) else { break }
                elements.append(value[index..<end])
                index = end
            } else if byte == UInt8(ascii: "]") {
                break
            } else {
                index += 1
            }
        }
        return elements
    }
}
