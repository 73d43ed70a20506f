import Foundation
import WFACore

/// The promises of ``RuleStore``.
public enum RuleStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case everyKindReadsBackUnchanged
    case kindsAreKeptApart
    case listingPagesByID
    case deleteRemovesOnlyTheRule
    case orgsNeverSeeEachOther

    public var description: String { "RuleStore.\(self.rawValue)" }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any RuleStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        let lead = LeadRule(
            id: "lead-1", orgID: org, name: "Brute force", criteria: #"streamName = "auth" AND tags CONTAINS "4625""#,
            clientSetID: "1", serverSetID: "5", severity: .high, attackTechniques: ["T1110"], updatedAt: Fixture.time(1)
        )
        let sigma = SigmaRule(
            id: "lead-1", orgID: org, name: "Whoami",
            yaml: "title: Whoami\ndetection:\n  sel:\n    Image|endswith: \\whoami.exe\n",
            level: .medium, logsourceProduct: "windows", logsourceCategory: "process_creation", tags: ["attack.t1033"],
            updatedAt: Fixture.time(2))
        let classification = ClassificationRule(
            id: "c-1", orgID: org, name: "Firewall", priority: 10, criteria: #"vendor = "cisco""#,
            streamName: "firewall", severityCode: .low, updatedAt: Fixture.time(3))
        switch self {
        case .everyKindReadsBackUnchanged:
            try await store.save([lead])
            try await store.save([sigma])
            try await store.save([classification])
            try verify.expectEqual(try await store.rule(LeadRule.self, id: lead.id, in: org), lead, "lead rule")
            try verify.expectEqual(try await store.rule(SigmaRule.self, id: sigma.id, in: org), sigma, "sigma rule")
            try verify.expectEqual(
                try await store.rule(ClassificationRule.self, id: classification.id, in: org), classification,
                "classification rule")

        case .kindsAreKeptApart:
            try await store.save([lead])
            try await store.save([sigma])  // same id, other kind
            try verify.expectEqual(try await store.rules(LeadRule.self, in: org, page: PageRequest()).total, 1, "leads")
            try verify.expectEqual(
                try await store.rules(SigmaRule.self, in: org, page: PageRequest()).total, 1, "sigma")
            try verify.expectEqual(
                try await store.rules(ClassificationRule.self, in: org, page: PageRequest()).total, 0, "classification")

        case .listingPagesByID:
            let rules = (0..<12).map {
                LeadRule(id: Identifier("r\(100 + $0)"), orgID: org, name: "rule \($0)", criteria: "x = 1")
            }
            try await store.save(rules.shuffled())
            var updated = rules[3]
            updated.enabled = false
            try await store.save([updated])
            let page = try await store.rules(LeadRule.self, in: org, page: PageRequest(limit: 5, offset: 5))
            try verify.expectEqual(page.total, 12, "total")
            try verify.expectEqual(page.items.map(\.id.rawValue), (105..<110).map { "r\($0)" }, "ordered by id")
            try verify.expectEqual(try await store.rule(LeadRule.self, id: "r103", in: org)?.enabled, false, "upsert")

        case .deleteRemovesOnlyTheRule:
            try await store.save([lead])
            try await store.save([sigma])
            try verify.expectEqual(try await store.delete(LeadRule.self, id: lead.id, in: org), true, "deleted")
            try verify.expectEqual(try await store.delete(LeadRule.self, id: lead.id, in: org), false, "deleted twice")
            try verify.expectEqual(try await store.rule(LeadRule.self, id: lead.id, in: org), nil, "gone")
            try verify.expectEqual(
                try await store.rule(SigmaRule.self, id: sigma.id, in: org), sigma, "other kind kept")

        case .orgsNeverSeeEachOther:
            let other = Fixture.org()
            var theirs = lead
            theirs.orgID = other
            try await store.save([theirs])
            try verify.expectEqual(try await store.rule(LeadRule.self, id: lead.id, in: org), nil, "get")
            try verify.expectEqual(try await store.rules(LeadRule.self, in: org, page: PageRequest()).total, 0, "list")
            try verify.expectEqual(try await store.delete(LeadRule.self, id: lead.id, in: org), false, "delete")
            try await store.save([lead])
            try verify.expectEqual(
                try await store.rule(LeadRule.self, id: lead.id, in: other), theirs, "same id, own org")
        }
    }
}
