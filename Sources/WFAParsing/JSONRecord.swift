/// A JSON object from a log, read by ``JSONScanner`` (schema-less, so no Codable), with helpers to
/// reach nested values by dotted path and to flatten it into `key.sub = value` pairs.
struct JSONRecord {
    let object: [String: Any]

    /// Parses one JSON object; nil for anything else, invalid JSON, or nesting deeper than 512.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard let object = JSONScanner.value(in: bytes) as? [String: Any] else { return nil }
        self.object = object
    }

    init(object: [String: Any]) {
        self.object = object
    }

    /// The value at `path`: a literal key first (Zeek's `id.orig_h`), else nested objects by dots.
    func value(_ path: String) -> Any? {
        if let direct = self.object[path] { return direct }
        var current: Any? = self.object
        for part in path.split(separator: ".") {
            guard let dictionary = current as? [String: Any] else { return nil }
            current = dictionary[String(part)]
        }
        return current
    }

    func string(_ path: String) -> String? {
        guard let value = self.value(path) else { return nil }
        return Self.text(value)
    }

    func record(_ path: String) -> JSONRecord? {
        (self.value(path) as? [String: Any]).map(JSONRecord.init(object:))
    }

    /// Scalars as text; arrays of scalars joined with commas; objects and null as nil.
    static func text(_ value: Any) -> String? {
        switch value {
        case let string as String: return string
        case let number as JSONNumber: return number.normalized
        case let flag as Bool: return flag ? "true" : "false"
        case let array as [Any]:
            let parts = array.compactMap { element -> String? in
                element is [String: Any] || element is [Any] ? nil : Self.text(element)
            }
            return parts.isEmpty ? nil : parts.joined(separator: ",")
        default: return nil
        }
    }

    /// Every scalar leaf as `dotted.path = text`, sorted by path.
    func flattened(maximumDepth: Int = 16) -> [(String, String)] {
        var pairs: [(String, String)] = []
        func walk(_ value: Any, _ path: String, _ depth: Int) {
            guard depth <= maximumDepth else { return }
            if let dictionary = value as? [String: Any] {
                for (key, child) in dictionary { walk(child, path.isEmpty ? key : path + "." + key, depth + 1) }
            } else if let array = value as? [Any], array.contains(where: { $0 is [String: Any] }) {
                for (offset, child) in array.enumerated() { walk(child, path + "." + String(offset), depth + 1) }
            } else if let text = Self.text(value) {
                pairs.append((path, text))
            }
        }
        walk(self.object, "", 0)
        return pairs.sorted { $0.0 < $1.0 }
    }
}
