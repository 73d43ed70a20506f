public import Foundation

/// One notification sent (or tried) to a channel: the delivery history analysts and admins read.
public struct NotificationDelivery: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<NotificationDelivery>

    public enum Status: String, Sendable, Codable, Hashable, CaseIterable {
        case sent, failed
    }

    public var id: ID
    public var orgID: Org.ID
    public var ruleID: NotificationRule.ID?
    public var channelID: NotificationChannel.ID
    public var incidentID: Incident.ID?
    public var event: String
    public var status: Status
    public var attempts: Int
    /// The receiver's HTTP status on the last attempt, if it answered.
    public var responseStatus: Int?
    /// Why the last attempt failed.
    public var error: String?
    public var createdAt: Date
    public var completedAt: Date

    public init(
        id: ID = .random(), orgID: Org.ID, ruleID: NotificationRule.ID?, channelID: NotificationChannel.ID,
        incidentID: Incident.ID?, event: String, status: Status, attempts: Int, responseStatus: Int? = nil,
        error: String? = nil, createdAt: Date, completedAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.ruleID = ruleID
        self.channelID = channelID
        self.incidentID = incidentID
        self.event = event
        self.status = status
        self.attempts = attempts
        self.responseStatus = responseStatus
        self.error = error
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.completedAt = EpochMicroseconds.normalize(completedAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, event, status, attempts, error
        case orgID = "org_id"
        case ruleID = "rule_id"
        case channelID = "channel_id"
        case incidentID = "incident_id"
        case responseStatus = "response_status"
        case createdAt = "created_at"
        case completedAt = "completed_at"
    }
}
