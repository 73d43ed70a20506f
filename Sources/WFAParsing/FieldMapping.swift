/// A vendor's table of field names and the artifact columns they fill, looked up for every field
/// of every event. Names are grouped by UTF-8 length, and a lookup compares bytes only with the few
/// of the same length: a dictionary hashed every field name of every event, and most names are in
/// no table.
struct FieldMapping: ExpressibleByDictionaryLiteral, Sendable {
    /// The table as written.
    let table: [String: ArtifactField]
    private let byLength: [[(name: String, field: ArtifactField)]]

    init(_ table: [String: ArtifactField]) {
        self.table = table
        var byLength = Array(
            repeating: [(name: String, field: ArtifactField)](), count: 1 + (table.keys.map(\.utf8.count).max() ?? 0))
        for (name, field) in table { byLength[name.utf8.count].append((name, field)) }
        self.byLength = byLength
    }

    init(dictionaryLiteral elements: (String, ArtifactField)...) {
        self.init(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    subscript(name: String) -> ArtifactField? {
        let length = name.utf8.count
        guard length < self.byLength.count else { return nil }
        return self.byLength[length].first { $0.name == name }?.field
    }
}
