public import Foundation
public import WFACore

/// The body a channel receives for one incident event.
public struct NotificationMessage: Sendable {
    public var event: String
    public var incident: Incident
    public var change: IncidentActivity?
    /// Also the receiver's de-duplication key: the same event redelivered keeps its id.
    public var deliveryID: NotificationDelivery.ID

    public init(event: String, incident: Incident, change: IncidentActivity?, deliveryID: NotificationDelivery.ID) {
        self.event = event
        self.incident = incident
        self.change = change
        self.deliveryID = deliveryID
    }

    struct WebhookBody: Encodable {
        struct IncidentSummary: Encodable {
            var id: String
            var title: String
            var severity: String
            var status: Int
            var suspicionScore: Double
            var assignee: String?
            var mitreTechniques: [String]
            var lifecycleStage: String?
            var createdAt: Date
            var updatedAt: Date

            enum CodingKeys: String, CodingKey {
                case id, title, severity, status, assignee
                case suspicionScore = "suspicion_score"
                case mitreTechniques = "mitre_techniques"
                case lifecycleStage = "lifecycle_stage"
                case createdAt = "created_at"
                case updatedAt = "updated_at"
            }
        }

        var id: String
        var event: String
        var orgID: String
        var incident: IncidentSummary
        var change: IncidentActivity?

        enum CodingKeys: String, CodingKey {
            case id, event, incident, change
            case orgID = "org_id"
        }
    }

    /// The JSON a generic webhook receives.
    public func webhookBody() throws -> Data {
        let incident = self.incident
        let body = WebhookBody(
            id: self.deliveryID.rawValue, event: self.event, orgID: incident.orgID.rawValue,
            incident: .init(
                id: incident.id.rawValue, title: incident.title, severity: incident.severity.rawValue,
                status: incident.status.rawValue, suspicionScore: incident.suspicionScore,
                assignee: incident.assignee?.rawValue, mitreTechniques: incident.mitreTechniques,
                lifecycleStage: incident.lifecycleStage?.rawValue, createdAt: incident.createdAt,
                updatedAt: incident.updatedAt),
            change: self.change)
        return try WireFormat.makeEncoder().encode(body)
    }

    /// The JSON a Slack-compatible incoming webhook receives: one readable line.
    public func slackBody() throws -> Data {
        try JSONEncoder().encode(["text": self.summary])
    }

    /// "[HIGH] Status changed to 5 (disrupted): SSH brute force from 203.0.113.9 (score 0.72)".
    public var summary: String {
        let what: String
        switch self.change?.action {
        case .created?: what = "New incident"
        case .statusChanged?: what = "Status changed to \(self.incident.status.rawValue) (\(self.incident.status))"
        case .severityChanged?: what = "Severity rose to \(self.incident.severity.rawValue)"
        case .assigned?: what = self.change?.to.map { "Assigned to \($0)" } ?? "Unassigned"
        case .noteAdded?: what = "Note added by \(self.change?.actor ?? "?")"
        case .merged?, nil: what = "Test notification"
        }
        let score = String(format: "%.2f", self.incident.suspicionScore)
        return
            "[\(self.incident.severity.rawValue.uppercased())] \(what): \(self.incident.title) (score \(score), id \(self.incident.id))"
    }
}
