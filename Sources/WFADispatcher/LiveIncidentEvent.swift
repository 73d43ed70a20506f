import Foundation
import WFACore

/// What `/ws` says about an incident change: which incident, its headline fields and what
/// changed, not the whole incident. A busy incident holds hundreds of leads and its history; pushing
/// all of it to every browser on every change would cost the server more in writes than the change
/// is worth, and a page that needs the rest reads it from the API.
struct LiveIncidentEvent: Encodable {
    struct Headline: Encodable {
        var id: Incident.ID
        var title: String
        var severity: IncidentSeverity
        var status: IncidentStatus
        var assignee: User.ID?
        var suspicionScore: Double
        var leadCount: Int
        var lastObservedAt: Date
        var createdAt: Date
        var updatedAt: Date
        var mergedInto: Incident.ID?

        enum CodingKeys: String, CodingKey {
            case id, title, severity, status, assignee
            case suspicionScore = "suspicion_score"
            case leadCount = "lead_count"
            case lastObservedAt = "last_observed_at"
            case createdAt = "created_at"
            case updatedAt = "updated_at"
            case mergedInto = "merged_into"
        }
    }

    var kind: IncidentEvent.Kind
    var incident: Headline
    var activities: [IncidentActivity]

    init(_ event: IncidentEvent) {
        let incident = event.incident
        self.kind = event.kind
        self.incident = Headline(
            id: incident.id, title: incident.title, severity: incident.severity, status: incident.status,
            assignee: incident.assignee, suspicionScore: incident.suspicionScore, leadCount: incident.leads.count,
            lastObservedAt: incident.lastObservedAt, createdAt: incident.createdAt, updatedAt: incident.updatedAt,
            mergedInto: incident.mergedInto)
        self.activities = event.activities
    }
}
