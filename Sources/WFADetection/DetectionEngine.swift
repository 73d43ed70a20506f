import Foundation
public import WFACore

/// Every enabled rule of an org, compiled once and indexed so that an event is tested only
/// against the rules that could match it: lead rules by the stream they name, Sigma rules by log
/// source. Correlation rules keep windows of recent matches, which is why evaluating is mutating.
public struct DetectionEngine: Sendable {
    private struct CompiledLeadRule: Sendable {
        let rule: LeadRule
        let criteria: Criteria
    }

    private struct CompiledSigmaRule: Sendable {
        let stored: SigmaRule
        let definition: SigmaDefinition
        /// Indexes of the correlations that use this rule's matches.
        var correlations: [Int] = []
        /// False when every correlation using it says `generate: false` (the default).
        var reportsAlone = true
    }

    private struct CompiledCorrelation: Sendable {
        let stored: SigmaRule
        let definition: SigmaDefinition
        let correlation: SigmaCorrelation
        /// Each referenced rule's position in `sigma`, in the correlation's order.
        let members: [Int]
    }

    private let classification: [(rule: ClassificationRule, criteria: Criteria)]
    private let leadRules: [CompiledLeadRule]
    /// Lead rules by the lower-cased stream name their criteria require; the rest under "".
    private let leadIndex: [String: [Int]]
    private var sigma: [CompiledSigmaRule]
    /// Sigma rules by product ("" for any), then by category or service ("" for any).
    private let sigmaIndex: [String: [String: [Int]]]
    private let correlations: [CompiledCorrelation]
    private var windows = CorrelationWindows()

    /// Rules that could not be compiled, each with its reason.
    public let problems: [RuleProblem]

    public var leadRuleCount: Int { self.leadRules.count }
    public var sigmaRuleCount: Int { self.sigma.count + self.correlations.count }

    public init(
        classificationRules: [ClassificationRule] = [],
        leadRules: [LeadRule] = [],
        sigmaRules: [SigmaRule] = [],
        placeholders: [String: [String]] = [:]
    ) {
        var problems: [RuleProblem] = []

        var classification: [(ClassificationRule, Criteria)] = []
        for rule in classificationRules.filter(\.enabled).sorted(by: { $0.priority < $1.priority }) {
            do {
                classification.append((rule, try Criteria(parsing: rule.criteria)))
            } catch {
                problems.append(
                    RuleProblem(
                        ruleKind: .classification, ruleID: rule.id.rawValue, ruleName: rule.name,
                        message: error.description))
            }
        }
        self.classification = classification

        var leads: [CompiledLeadRule] = []
        var leadIndex: [String: [Int]] = [:]
        for rule in leadRules where rule.enabled {
            do {
                let criteria = try Criteria(parsing: rule.criteria)
                leadIndex[Self.requiredStream(criteria) ?? "", default: []].append(leads.count)
                leads.append(CompiledLeadRule(rule: rule, criteria: criteria))
            } catch {
                problems.append(
                    RuleProblem(
                        ruleKind: .lead, ruleID: rule.id.rawValue, ruleName: rule.name, message: error.description))
            }
        }
        self.leadRules = leads
        self.leadIndex = leadIndex

        var detections: [CompiledSigmaRule] = []
        var pendingCorrelations: [(SigmaRule, SigmaDefinition, SigmaCorrelation)] = []
        for rule in sigmaRules where rule.enabled {
            do {
                for definition in try SigmaDefinition.parse(yaml: rule.yaml, placeholders: placeholders) {
                    if case .correlation(let correlation) = definition.body {
                        pendingCorrelations.append((rule, definition, correlation))
                    } else {
                        detections.append(CompiledSigmaRule(stored: rule, definition: definition))
                    }
                }
            } catch {
                problems.append(
                    RuleProblem(
                        ruleKind: .sigma, ruleID: rule.id.rawValue, ruleName: rule.name, message: error.description))
            }
        }
        var correlations: [CompiledCorrelation] = []
        for (rule, definition, correlation) in pendingCorrelations {
            var members: [Int] = []
            var missing: [String] = []
            for reference in correlation.rules {
                if let index = detections.firstIndex(where: {
                    $0.definition.id == reference || $0.definition.name == reference
                }) {
                    members.append(index)
                } else {
                    missing.append(reference)
                }
            }
            guard missing.isEmpty else {
                problems.append(
                    RuleProblem(
                        ruleKind: .sigma, ruleID: rule.id.rawValue, ruleName: definition.title,
                        message:
                            "the correlation refers to rules that are not loaded: \(missing.joined(separator: ", "))"))
                continue
            }
            for member in Set(members) {
                detections[member].correlations.append(correlations.count)
                if !correlation.generate { detections[member].reportsAlone = false }
            }
            correlations.append(
                CompiledCorrelation(stored: rule, definition: definition, correlation: correlation, members: members))
        }
        var sigmaIndex: [String: [String: [Int]]] = [:]
        for (index, rule) in detections.enumerated() {
            let source = rule.definition.logsource
            sigmaIndex[source.product ?? "", default: [:]][source.category ?? source.service ?? "", default: []].append(
                index)
        }
        self.sigma = detections
        self.sigmaIndex = sigmaIndex
        self.correlations = correlations
        self.problems = problems
    }

    /// Sets the artifact's stream and severity from the first classification rule that matches.
    /// - Returns: the rule that matched, if any.
    @discardableResult
    public func classify(_ artifact: inout Artifact) -> ClassificationRule? {
        guard !self.classification.isEmpty else { return nil }
        let event = EventFields(artifact)
        guard let (rule, _) = self.classification.first(where: { $0.criteria.matches(event) }) else { return nil }
        artifact.streamName = rule.streamName
        artifact.severityCode = rule.severityCode
        return rule
    }

    /// Every lead and Sigma rule the artifact fires, including correlations it completes.
    public mutating func evaluate(_ artifact: Artifact) -> [Detection] {
        let event = EventFields(artifact)
        var detections: [Detection] = []
        let stream = artifact.streamName.lowercased()
        for bucket in [self.leadIndex[stream], stream.isEmpty ? nil : self.leadIndex[""]] {
            for index in bucket ?? [] where self.leadRules[index].criteria.matches(event) {
                let rule = self.leadRules[index].rule
                detections.append(
                    Detection(
                        ruleKind: .lead, ruleID: rule.id.rawValue, ruleName: rule.name, severity: rule.severity,
                        attackTechniques: rule.attackTechniques, clientSetID: rule.clientSetID,
                        serverSetID: rule.serverSetID, artifactID: artifact.id))
            }
        }
        guard !self.sigma.isEmpty else { return detections }
        let facets = LogSourceFacets(artifact)
        for index in self.candidateSigmaRules(for: facets) {
            let compiled = self.sigma[index]
            guard compiled.definition.logsource.admits(facets), compiled.definition.matches(event) else { continue }
            if compiled.reportsAlone {
                detections.append(Self.detection(compiled.stored, compiled.definition, artifact: artifact.id))
            }
            for correlationIndex in compiled.correlations {
                if let fired = self.advance(correlationIndex, member: index, event: event) { detections.append(fired) }
            }
        }
        return detections
    }

    /// The rules indexed under the event's product (or none) and any of its categories and
    /// services (or none). A name can be both a category and a service (Zeek's `dns`), so keys are
    /// looked up once each; a rule sits under one key, so it comes back once.
    private func candidateSigmaRules(for facets: LogSourceFacets) -> [Int] {
        let keys = Set([""] + facets.categories + facets.services)
        var found: [Int] = []
        for product in Set([facets.product ?? "", ""]) {
            guard let byKey = self.sigmaIndex[product] else { continue }
            for key in keys { found += byKey[key] ?? [] }
        }
        return found.sorted()
    }

    private mutating func advance(_ correlationIndex: Int, member: Int, event: EventFields) -> Detection? {
        let compiled = self.correlations[correlationIndex]
        let correlation = compiled.correlation
        let rule = self.sigma[member].definition
        let references = [rule.id, rule.name].compactMap { $0 }
        func value(_ name: String) -> String {
            let field = correlation.field(name, for: references)
            let candidates = SigmaFieldMapping.candidates(for: field, product: rule.logsource.product)
            return candidates.lazy.compactMap { event.values(of: $0).first }.first ?? ""
        }
        let group = correlation.groupBy.map(value)
        let key = CorrelationWindows.Key(correlation: correlationIndex, group: group)
        let matched = CorrelationWindows.Match(
            time: event.artifact.timestamp, artifactID: event.artifact.id,
            member: compiled.members.firstIndex(of: member) ?? 0,
            value: correlation.valueField.map(value))
        let fired = self.windows.record(matched, under: key, keeping: correlation.timespan) { matches in
            switch correlation.kind {
            case .eventCount: return correlation.satisfies(matches.count)
            case .valueCount: return correlation.satisfies(Set(matches.compactMap(\.value)).count)
            case .temporal: return Set(matches.map(\.member)).count == Set(compiled.members).count
            case .temporalOrdered: return Self.inOrder(matches, memberCount: compiled.members.count)
            }
        }
        guard let fired else { return nil }
        var detection = Self.detection(compiled.stored, compiled.definition, artifact: event.artifact.id)
        detection.correlatedArtifactIDs = fired
        detection.group = Dictionary(zip(correlation.groupBy, group), uniquingKeysWith: { first, _ in first })
        return detection
    }

    /// Whether the members appear one after another in time (member 0, then 1, ...).
    private static func inOrder(_ matches: [CorrelationWindows.Match], memberCount: Int) -> Bool {
        var next = 0
        for match in matches.sorted(by: { $0.time < $1.time }) where match.member == next {
            next += 1
            if next == memberCount { return true }
        }
        return false
    }

    private static func detection(_ stored: SigmaRule, _ definition: SigmaDefinition, artifact: Artifact.ID)
        -> Detection
    {
        Detection(
            ruleKind: .sigma, ruleID: stored.id.rawValue, ruleName: definition.title, severity: definition.level,
            attackTechniques: definition.attackTechniques, tactics: definition.tactics, artifactID: artifact)
    }

    /// The stream a lead rule insists on (`streamName = "x"`, alone or in a top-level AND).
    private static func requiredStream(_ criteria: Criteria) -> String? {
        func stream(_ part: Criteria) -> String? {
            guard case .comparison(let comparison) = part, comparison.field == .streamName, comparison.op == .equals
            else { return nil }
            return comparison.values.first?.lowercased()
        }
        if let single = stream(criteria) { return single }
        if case .all(let parts) = criteria { return parts.lazy.compactMap(stream).first }
        return nil
    }
}
