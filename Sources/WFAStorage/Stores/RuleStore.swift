public import WFACore

/// Classification, lead and Sigma rules, stored as documents keyed by (org, kind, id).
/// Cassandra table: `rules_by_org` (org, kind; clustered by id).
public protocol RuleStore: Sendable {
    /// Inserts or replaces rules by id.
    func save<Rule: DetectionRule>(_ rules: [Rule]) async throws

    func rule<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Rule?

    /// Rules of one family in `org`, ordered by id.
    func rules<Rule: DetectionRule>(_ type: Rule.Type, in org: Org.ID, page: PageRequest) async throws -> Page<Rule>

    /// Returns whether a rule was deleted.
    func delete<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Bool
}
