public import Foundation
public import WFACore
import WFADetection
public import WFAStorage

/// Gives an org the rules wfa ships with: the reference lead-rule catalog and a folder of Sigma
/// rules. Each family is seeded only into an org that has none of it yet, so an analyst's edits
/// and deletions stand (disable a rule rather than delete the last one).
public struct RuleSeeder: Sendable {
    public struct Report: Sendable, Hashable {
        public var leadRules = 0
        public var sigmaRules = 0
        /// Files or rules that could not be read, with why.
        public var problems: [String] = []
    }

    let rules: any RuleStore

    public init(rules: any RuleStore) {
        self.rules = rules
    }

    /// Seeds `org` from `catalog` (a reference catalog JSON) and `sigmaDirectory` (*.yml, searched
    /// recursively); either may be nil or missing on disk.
    public func seed(_ org: Org.ID, catalog: URL?, sigmaDirectory: URL?, at time: Date = Date()) async throws -> Report
    {
        var report = Report()
        let probe = PageRequest(limit: 1)
        if let catalog, FileManager.default.fileExists(atPath: catalog.path),
            try await self.rules.rules(LeadRule.self, in: org, page: probe).total == 0
        {
            let imported = try LeadRuleCatalog(json: try Data(contentsOf: catalog), org: org, importedAt: time)
            try await self.rules.save(imported.rules)
            report.leadRules = imported.rules.count
            report.problems += imported.problems.map(\.description)
        }
        if let sigmaDirectory, FileManager.default.fileExists(atPath: sigmaDirectory.path),
            try await self.rules.rules(SigmaRule.self, in: org, page: probe).total == 0
        {
            var rules: [SigmaRule] = []
            let enumerator = FileManager.default.enumerator(atPath: sigmaDirectory.path)
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".yml") || path.hasSuffix(".yaml") else { continue }
                let url = sigmaDirectory.appendingPathComponent(path)
                do {
                    let yaml = try String(contentsOf: url, encoding: .utf8)
                    rules.append(try SigmaRule(compiling: yaml, org: org, fallbackID: path, at: time))
                } catch {
                    report.problems.append("\(path): \(error)")
                }
            }
            try await self.rules.save(rules)
            report.sigmaRules = rules.count
        }
        return report
    }
}
