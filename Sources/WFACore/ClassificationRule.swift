public import Foundation

/// Sets an artifact's stream and severity. Evaluated in `priority` order; the first match wins.
public struct ClassificationRule: DetectionRule {
    public static let kind = RuleKind.classification

    public var id: Identifier<ClassificationRule>
    public var orgID: Org.ID
    public var name: String
    /// Lower runs first.
    public var priority: Int
    /// Criteria in the reference DSL (`vendor = "cisco" AND action = "deny"`).
    public var criteria: String
    public var streamName: String
    public var severityCode: SeverityCode
    public var enabled: Bool
    public var updatedAt: Date

    public init(
        id: Identifier<ClassificationRule> = .random(),
        orgID: Org.ID,
        name: String,
        priority: Int,
        criteria: String,
        streamName: String,
        severityCode: SeverityCode,
        enabled: Bool = true,
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.priority = priority
        self.criteria = criteria
        self.streamName = streamName
        self.severityCode = severityCode
        self.enabled = enabled
        self.updatedAt = EpochMicroseconds.normalize(updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, priority, criteria, enabled
        case orgID = "org_id"
        case streamName = "stream_name"
        case severityCode = "severity_code"
        case updatedAt = "updated_at"
    }
}
