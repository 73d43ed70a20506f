import WFACore

/// One artifact as rules read it: each field's values are looked up, and folded to lower case, at
/// most once however many rules ask for them.
///
/// Made per evaluation and used by one task; it is a class only so that the cache fills through
/// the shared reference as matchers read.
final class EventFields {
    let artifact: Artifact
    private var texts: [RuleField: [String]] = [:]
    private var folded: [RuleField: [[UInt8]]] = [:]

    init(_ artifact: Artifact) {
        self.artifact = artifact
    }

    /// The field's values as the event has them.
    func values(of field: RuleField) -> [String] {
        if let cached = self.texts[field] { return cached }
        var values = field.values(in: self.artifact)
        if values.isEmpty, case .extracted(let name) = field, let loose = self.looseNames[Self.loose(name)] {
            values = [loose]
        }
        self.texts[field] = values
        return values
    }

    /// Extracted fields by their name without case, spaces or underscores: exporters differ in how
    /// they spell event fields (Defender's "Threat Name" is Sigma's `ThreatName`).
    private lazy var looseNames: [String: String] = Dictionary(
        self.artifact.fields.map { (Self.loose($0.key), $0.value) }, uniquingKeysWith: { first, _ in first })

    private static func loose(_ name: String) -> String {
        String(name.lowercased().filter { $0 != " " && $0 != "_" })
    }

    /// The field's values as UTF-8 bytes, lower-cased unless `caseSensitive`.
    func bytes(of field: RuleField, caseSensitive: Bool) -> [[UInt8]] {
        if caseSensitive { return self.values(of: field).map { Array($0.utf8) } }
        if let cached = self.folded[field] { return cached }
        let bytes = self.values(of: field).map { Array($0.lowercased().utf8) }
        self.folded[field] = bytes
        return bytes
    }
}
