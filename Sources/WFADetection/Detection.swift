public import WFACore

/// A rule that fired on an artifact: the start of a lead.
public struct Detection: Sendable, Hashable {
    public var ruleKind: RuleKind
    /// The stored rule's id.
    public var ruleID: String
    public var ruleName: String
    public var severity: IncidentSeverity
    public var attackTechniques: [String]
    /// ATT&CK tactics (`initial-access`) from the rule's tags, when it has them.
    public var tactics: [String]
    /// Lead sets the artifact's client and server join (reference lead rules).
    public var clientSetID: String?
    public var serverSetID: String?
    /// The artifact that fired the rule (for a correlation, the one that completed it).
    public var artifactID: Artifact.ID
    /// For a correlation: every artifact that built it, oldest first.
    public var correlatedArtifactIDs: [Artifact.ID]
    /// For a correlation: the group-by fields and the values they shared.
    public var group: [String: String]

    public init(
        ruleKind: RuleKind, ruleID: String, ruleName: String, severity: IncidentSeverity,
        attackTechniques: [String] = [], tactics: [String] = [], clientSetID: String? = nil,
        serverSetID: String? = nil, artifactID: Artifact.ID, correlatedArtifactIDs: [Artifact.ID] = [],
        group: [String: String] = [:]
    ) {
        self.ruleKind = ruleKind
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.severity = severity
        self.attackTechniques = attackTechniques
        self.tactics = tactics
        self.clientSetID = clientSetID
        self.serverSetID = serverSetID
        self.artifactID = artifactID
        self.correlatedArtifactIDs = correlatedArtifactIDs
        self.group = group
    }
}

/// A stored rule the engine could not use, and why; reported, never silently dropped.
public struct RuleProblem: Sendable, Hashable, CustomStringConvertible {
    public var ruleKind: RuleKind
    public var ruleID: String
    public var ruleName: String
    public var message: String

    public init(ruleKind: RuleKind, ruleID: String, ruleName: String, message: String) {
        self.ruleKind = ruleKind
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.message = message
    }

    public var description: String {
        "\(self.ruleKind.rawValue) rule \(self.ruleID) (\(self.ruleName)): \(self.message)"
    }
}
