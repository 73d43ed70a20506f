public import Foundation

/// Turns a matching artifact into a lead, in the reference criteria DSL.
public struct LeadRule: DetectionRule {
    public static let kind = RuleKind.lead

    public var id: Identifier<LeadRule>
    public var orgID: Org.ID
    public var name: String
    public var description: String
    /// `field OP value` joined by AND/OR with parentheses.
    public var criteria: String
    /// The reference product's lead set the matching artifact's client joins ("Exploiting Host").
    public var clientSetID: String?
    /// The lead set the matching artifact's server joins ("Exploiting Target").
    public var serverSetID: String?
    public var severity: IncidentSeverity
    public var attackTechniques: [String]
    public var enabled: Bool
    public var updatedAt: Date

    public init(
        id: Identifier<LeadRule> = .random(),
        orgID: Org.ID,
        name: String,
        description: String = "",
        criteria: String,
        clientSetID: String? = nil,
        serverSetID: String? = nil,
        severity: IncidentSeverity = .medium,
        attackTechniques: [String] = [],
        enabled: Bool = true,
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.description = description
        self.criteria = criteria
        self.clientSetID = clientSetID
        self.serverSetID = serverSetID
        self.severity = severity
        self.attackTechniques = attackTechniques
        self.enabled = enabled
        self.updatedAt = EpochMicroseconds.normalize(updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, criteria, severity, enabled
        case orgID = "org_id"
        case clientSetID = "client_set_id"
        case serverSetID = "server_set_id"
        case attackTechniques = "attack_techniques"
        case updatedAt = "updated_at"
    }
}
