import WFACore

/// A JSON object from a log, read by ``JSONScanner`` (schema-less, so no Codable), with helpers to
/// reach nested values by dotted path and to flatten it into `key.sub = value` pairs.
struct JSONRecord {
    let object: JSONNode

    /// Parses one JSON object; nil for anything else, invalid JSON, or nesting deeper than 512.
    init?(_ bytes: ArraySlice<UInt8>) {
        guard let object = JSONScanner.document(in: bytes), object.isObject else { return nil }
        self.object = object
    }

    init(object: JSONNode) {
        self.object = object
    }

    /// The value at `path`: a literal key first (Zeek's `id.orig_h`), else nested objects by dots.
    func value(_ path: String) -> JSONNode? {
        var path = path
        return path.withUTF8 { path in
            if let direct = self.object.member(named: path) { return direct }
            // Walks the path's parts in place: splitting it into strings cost more than the lookups.
            guard path.contains(UInt8(ascii: ".")) else { return nil }
            var current = self.object
            var partStart = 0
            while true {
                let partEnd = path[partStart...].firstIndex(of: UInt8(ascii: ".")) ?? path.count
                guard let element = current.member(named: UnsafeBufferPointer(rebasing: path[partStart..<partEnd]))
                else { return nil }
                if partEnd == path.count { return element }
                current = element
                partStart = partEnd + 1
            }
        }
    }

    func string(_ path: String) -> String? {
        self.value(path)?.text
    }

    func record(_ path: String) -> JSONRecord? {
        self.value(path).flatMap { $0.isObject ? JSONRecord(object: $0) : nil }
    }

    /// Every scalar leaf as `dotted.path = text`, in document order.
    func flattened(maximumDepth: Int = 16) -> [(String, String)] {
        var pairs: [(String, String)] = []
        func walk(_ value: JSONNode, _ path: String, _ depth: Int) {
            guard depth <= maximumDepth else { return }
            switch value.kind {
            case .object:
                for (key, child) in value.members { walk(child, path.isEmpty ? key : path + "." + key, depth + 1) }
            case .array where value.elements.contains(where: \.isObject):
                for (offset, child) in value.elements.enumerated() {
                    walk(child, path + "." + String(offset), depth + 1)
                }
            default:
                if let text = value.text { pairs.append((path, text)) }
            }
        }
        walk(self.object, "", 0)
        return pairs
    }
}
