public import Foundation
public import WFACore

/// The reference product's lead-rule catalog (`lead_rules_catalog.json`): rules in the criteria
/// DSL, each naming the lead sets its artifact's client and server join.
public struct LeadRuleCatalog: Sendable {
    /// One catalog rule that could not be imported, and why.
    public struct Problem: Sendable, Hashable, CustomStringConvertible {
        public let catalogID: Int
        public let name: String
        public let message: String

        public var description: String { "rule \(self.catalogID) (\(self.name)): \(self.message)" }
    }

    /// Set id → set name ("1" → "Exploiting Host").
    public let setNames: [String: String]
    /// Every rule whose criteria parse, with a deterministic id (`catalog-N`) so that importing
    /// again updates rather than duplicates.
    public let rules: [LeadRule]
    /// Every rule that did not import, reported rather than dropped.
    public let problems: [Problem]

    private struct Document: Decodable {
        struct Entry: Decodable {
            let id: Int
            let description: String
            let criteria: String
            let clientSetID: Int?
            let serverSetID: Int?

            enum CodingKeys: String, CodingKey {
                case id, description, criteria
                case clientSetID = "client_set_id"
                case serverSetID = "server_set_id"
            }
        }

        let leadRules: [Entry]
        let sets: [String: String]?

        enum CodingKeys: String, CodingKey {
            case leadRules = "lead_rules"
            case sets
        }
    }

    /// Reads a catalog for `org`.
    /// - Throws: `DecodingError` when the document is not a catalog at all; single bad rules are
    ///   ``problems`` instead.
    public init(json: Data, org: Org.ID, importedAt: Date = Date()) throws {
        let document = try JSONDecoder().decode(Document.self, from: json)
        let setNames = document.sets ?? [:]
        var rules: [LeadRule] = []
        var problems: [Problem] = []
        for entry in document.leadRules {
            do {
                _ = try Criteria(parsing: entry.criteria)
            } catch {
                problems.append(Problem(catalogID: entry.id, name: entry.description, message: error.description))
                continue
            }
            let sets = [entry.clientSetID, entry.serverSetID].compactMap { $0 }.compactMap { setNames[String($0)] }
            rules.append(
                LeadRule(
                    id: Identifier("catalog-\(entry.id)"),
                    orgID: org,
                    name: entry.description,
                    description: sets.isEmpty ? "" : "Lead sets: " + sets.joined(separator: ", "),
                    criteria: entry.criteria.trimmingCharacters(in: .whitespaces),
                    clientSetID: entry.clientSetID.map(String.init),
                    serverSetID: entry.serverSetID.map(String.init),
                    severity: Self.severity(forSets: sets),
                    updatedAt: importedAt))
        }
        self.setNames = setNames
        self.rules = rules
        self.problems = problems
    }

    /// The catalog carries no severity; a lead naming command and control, ransomware or
    /// exfiltration is high, anything else medium (an analyst can edit either).
    static func severity(forSets names: [String]) -> IncidentSeverity {
        let high = ["C2", "Ransomware", "Exfiltration", "Malicious File"]
        return names.contains { name in high.contains { name.contains($0) } } ? .high : .medium
    }
}
