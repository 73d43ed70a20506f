import WFACore

/// A JSON object from a log, read by ``JSONScanner`` (schema-less, so no Codable), with helpers to
/// reach nested values by dotted path and to flatten it into `key.sub = value` pairs.
struct JSONRecord {
    let object: JSONObject

    /// Parses one JSON object; nil for anything else, invalid JSON, or nesting deeper than 512.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard let object = JSONScanner.value(in: bytes)?.object else { return nil }
        self.object = object
    }

    init(object: JSONObject) {
        self.object = object
    }

    /// The value at `path`: a literal key first (Zeek's `id.orig_h`), else nested objects by dots.
    func value(_ path: String) -> JSONElement? {
        if let direct = self.object[path] { return direct }
        // Walks the path's parts in place: splitting it into strings cost more than the lookups.
        let utf8 = path.utf8
        var current = self.object
        var partStart = utf8.startIndex
        while true {
            let partEnd = utf8[partStart...].firstIndex(of: UInt8(ascii: ".")) ?? utf8.endIndex
            guard let element = current[utf8: utf8[partStart..<partEnd]] else { return nil }
            if partEnd == utf8.endIndex { return element }
            guard let object = element.object else { return nil }
            current = object
            partStart = utf8.index(after: partEnd)
        }
    }

    func string(_ path: String) -> String? {
        self.value(path)?.text
    }

    func record(_ path: String) -> JSONRecord? {
        self.value(path)?.object.map(JSONRecord.init(object:))
    }

    /// Every scalar leaf as `dotted.path = text`, in document order.
    func flattened(maximumDepth: Int = 16) -> [(String, String)] {
        var pairs: [(String, String)] = []
        func walk(_ value: JSONElement, _ path: String, _ depth: Int) {
            guard depth <= maximumDepth else { return }
            switch value {
            case .object(let object):
                for (key, child) in object.members { walk(child, path.isEmpty ? key : path + "." + key, depth + 1) }
            case .array(let elements) where elements.contains(where: { $0.object != nil }):
                for (offset, child) in elements.enumerated() { walk(child, path + "." + String(offset), depth + 1) }
            default:
                if let text = value.text { pairs.append((path, text)) }
            }
        }
        walk(.object(self.object), "", 0)
        return pairs
    }
}
