public import Foundation

/// A SigmaHQ rule, kept as the YAML the user supplied plus the fields wfa indexes it by.
public struct SigmaRule: DetectionRule {
    public static let kind = RuleKind.sigma

    public var id: Identifier<SigmaRule>
    public var orgID: Org.ID
    /// The rule's `title`.
    public var name: String
    /// The rule document exactly as uploaded.
    public var yaml: String
    public var level: IncidentSeverity
    public var logsourceProduct: String?
    public var logsourceCategory: String?
    public var logsourceService: String?
    public var tags: [String]
    public var enabled: Bool
    public var updatedAt: Date

    public init(
        id: Identifier<SigmaRule>,
        orgID: Org.ID,
        name: String,
        yaml: String,
        level: IncidentSeverity = .medium,
        logsourceProduct: String? = nil,
        logsourceCategory: String? = nil,
        logsourceService: String? = nil,
        tags: [String] = [],
        enabled: Bool = true,
        updatedAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.yaml = yaml
        self.level = level
        self.logsourceProduct = logsourceProduct
        self.logsourceCategory = logsourceCategory
        self.logsourceService = logsourceService
        self.tags = tags
        self.enabled = enabled
        self.updatedAt = EpochMicroseconds.normalize(updatedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, yaml, level, tags, enabled
        case orgID = "org_id"
        case logsourceProduct = "logsource_product"
        case logsourceCategory = "logsource_category"
        case logsourceService = "logsource_service"
        case updatedAt = "updated_at"
    }
}
