public import Foundation

/// A generated report, kept for the reports retention period (five years by default).
public struct Report: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Report>

    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        case executive
        case compliance
        case toolEffectiveness = "tool_effectiveness"
        case costSavings = "cost_savings"
    }

    public var id: ID
    public var orgID: Org.ID
    public var kind: Kind
    public var title: String
    public var periodStart: Date
    public var periodEnd: Date
    /// The framework a compliance report is measured against.
    public var frameworkID: Framework.ID?
    public var createdAt: Date
    public var content: JSONValue

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        kind: Kind,
        title: String,
        periodStart: Date,
        periodEnd: Date,
        frameworkID: Framework.ID? = nil,
        createdAt: Date = Date(),
        content: JSONValue = .object([:])
    ) {
        self.id = id
        self.orgID = orgID
        self.kind = kind
        self.title = title
        self.periodStart = EpochMicroseconds.normalize(periodStart)
        self.periodEnd = EpochMicroseconds.normalize(periodEnd)
        self.frameworkID = frameworkID
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.content = content
    }

    enum CodingKeys: String, CodingKey {
        case id, kind, title, content
        case orgID = "org_id"
        case periodStart = "period_start"
        case periodEnd = "period_end"
        case frameworkID = "framework_id"
        case createdAt = "created_at"
    }
}
