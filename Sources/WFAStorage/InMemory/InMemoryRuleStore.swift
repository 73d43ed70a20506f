import Foundation
public import WFACore

/// A ``RuleStore`` in memory, holding rules as encoded documents exactly as a database would.
public actor InMemoryRuleStore: RuleStore {
    private struct Key: Hashable {
        var org: Org.ID
        var kind: RuleKind
        var id: String
    }

    private var documents: [Key: Data] = [:]

    public init() {}

    public func save<Rule: DetectionRule>(_ rules: [Rule]) async throws {
        let encoder = WireFormat.makeEncoder()
        for rule in rules {
            self.documents[Key(org: rule.orgID, kind: Rule.kind, id: rule.id.rawValue)] = try encoder.encode(rule)
        }
    }

    public func rule<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Rule? {
        guard let data = self.documents[Key(org: org, kind: Rule.kind, id: id.rawValue)] else { return nil }
        return try WireFormat.makeDecoder().decode(Rule.self, from: data)
    }

    public func rules<Rule: DetectionRule>(_ type: Rule.Type, in org: Org.ID, page: PageRequest) async throws -> Page<
        Rule
    > {
        let page = try page.validated()
        let keys = self.documents.keys.filter { $0.org == org && $0.kind == Rule.kind }.sorted { $0.id < $1.id }
        let slice = Page(slicing: keys, page)
        let decoder = WireFormat.makeDecoder()
        let items = try slice.items.compactMap { key in
            try self.documents[key].map { try decoder.decode(Rule.self, from: $0) }
        }
        return Page(items: items, total: slice.total, limit: page.limit, offset: page.offset)
    }

    public func delete<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Bool {
        self.documents.removeValue(forKey: Key(org: org, kind: Rule.kind, id: id.rawValue)) != nil
    }
}
