import Foundation
import WFACore
import WFADetection
import WFAStorage

/// `POST /rules/test`: what a rule would have matched over stored artifacts, before it is saved
/// or switched on. Runs the same compiled matchers the incident engine runs.
extension APIHandler {
    public func testRule(_ input: Operations.TestRule.Input) async throws -> Operations.TestRule.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.ruleId, of: "rule_id", in: 1...100)
        try RequestValidation.length(body.yaml, of: "yaml", in: 1...200_000)
        let limit = body.limit ?? 50
        let scanLimit = body.scanLimit ?? 10_000
        guard (1...1_000).contains(limit), (1...100_000).contains(scanLimit) else {
            throw APIError.invalid("limit must be 1 to 1000 and scan_limit 1 to 100000")
        }
        let end = body.to ?? Date()
        let start = body.from ?? end.addingTimeInterval(-86_400)
        guard start <= end else { throw APIError.invalid("from must not be after to") }
        var engine = try await self.testEngine(for: body, in: principal.orgID)

        var scanned = 0
        var matched = 0
        var matches: [Artifact] = []
        var truncated = false
        scan: while true {
            let pageSize = min(PageRequest.maximumLimit, scanLimit - scanned)
            let page = try await self.storage.artifacts.search(
                ArtifactQuery(
                    timeRange: TimeRange(start: start, end: end), order: .oldestFirst,
                    page: PageRequest(limit: pageSize, offset: scanned), countsTotal: false),
                in: principal.orgID)
            for var artifact in page.items {
                scanned += 1
                let fired =
                    body.kind == .classification
                    ? engine.classify(&artifact) != nil : !engine.evaluate(artifact).isEmpty
                if fired {
                    matched += 1
                    if matches.count < limit { matches.append(artifact) }
                }
            }
            if page.items.isEmpty || scanned >= page.total { break scan }
            if scanned >= scanLimit {
                truncated = true
                break scan
            }
        }
        let result = Components.Schemas.RuleTestResult(
            scanned: scanned, matched: matched, truncated: truncated, matches: try matches.map(APIConversion.artifact))
        return .ok(
            .init(
                body: .json(.init(success: true, message: "\(matched) of \(scanned) artifacts matched", data: result))))
    }

    /// An engine holding only the rule under test, switched on even if the stored rule is off.
    private func testEngine(for body: Components.Schemas.RuleTestRequest, in org: Org.ID) async throws
        -> DetectionEngine
    {
        let given = [body.ruleId != nil, body.criteria != nil, body.yaml != nil].filter { $0 }.count
        guard given == 1 else { throw APIError.invalid("give exactly one of rule_id, criteria and yaml") }
        let now = Date()
        let engine: DetectionEngine
        switch body.kind {
        case .lead:
            guard body.yaml == nil else { throw APIError.invalid("a lead rule has criteria, not yaml") }
            var rule = LeadRule(orgID: org, name: "draft", criteria: body.criteria ?? "", updatedAt: now)
            if let id = body.ruleId { rule = try await self.storedRule(LeadRule.self, id) }
            if body.criteria != nil { try Self.compile(criteria: rule.criteria) }
            rule.enabled = true
            engine = DetectionEngine(leadRules: [rule])
        case .classification:
            guard body.yaml == nil else { throw APIError.invalid("a classification rule has criteria, not yaml") }
            var rule = ClassificationRule(
                orgID: org, name: "draft", priority: 0, criteria: body.criteria ?? "", streamName: "draft",
                severityCode: .info, updatedAt: now)
            if let id = body.ruleId { rule = try await self.storedRule(ClassificationRule.self, id) }
            if body.criteria != nil { try Self.compile(criteria: rule.criteria) }
            rule.enabled = true
            engine = DetectionEngine(classificationRules: [rule])
        case .sigma:
            guard body.criteria == nil else { throw APIError.invalid("a Sigma rule has yaml, not criteria") }
            var rule: SigmaRule
            if let id = body.ruleId {
                rule = try await self.storedRule(SigmaRule.self, id)
            } else {
                do {
                    rule = try SigmaRule(compiling: body.yaml ?? "", org: org, fallbackID: "draft", at: now)
                } catch {
                    throw Self.invalidRule(error.description)
                }
            }
            rule.enabled = true
            engine = DetectionEngine(sigmaRules: [rule])
        }
        if let problem = engine.problems.first { throw Self.invalidRule(problem.message) }
        return engine
    }
}
