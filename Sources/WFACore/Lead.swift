public import Foundation

/// One rule match inside an incident: which artifact matched which rule, naming which nodes.
public struct Lead: Sendable, Codable, Hashable {
    public var artifactID: Artifact.ID
    public var ruleID: String
    public var ruleName: String
    /// The rule family (`lead`, `sigma`), so a reader knows where to look the rule up.
    public var ruleKind: RuleKind
    public var nodeIDs: [Node.ID]
    /// The reference product's lead set (`set_id`), when the rule has one.
    public var setID: String?
    /// The part the nodes play (`attacker`, `target`).
    public var role: String?
    public var severity: IncidentSeverity
    public var observedAt: Date
    /// How many times the same rule matched the same entity within the window.
    public var count: Int

    public init(
        artifactID: Artifact.ID,
        ruleID: String,
        ruleName: String,
        ruleKind: RuleKind,
        nodeIDs: [Node.ID],
        setID: String? = nil,
        role: String? = nil,
        severity: IncidentSeverity,
        observedAt: Date,
        count: Int = 1
    ) {
        self.artifactID = artifactID
        self.ruleID = ruleID
        self.ruleName = ruleName
        self.ruleKind = ruleKind
        self.nodeIDs = nodeIDs
        self.setID = setID
        self.role = role
        self.severity = severity
        self.observedAt = EpochMicroseconds.normalize(observedAt)
        self.count = count
    }

    enum CodingKeys: String, CodingKey {
        case role, severity, count
        case artifactID = "artifact_id"
        case ruleID = "rule_id"
        case ruleName = "rule_name"
        case ruleKind = "rule_kind"
        case nodeIDs = "node_ids"
        case setID = "set_id"
        case observedAt = "observed_at"
    }
}
