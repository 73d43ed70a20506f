import Foundation
import WFACore

/// What `/ws` says about an incident change: which incident, its headline fields and what
/// changed, not the whole incident. A busy incident holds hundreds of leads and its history; pushing
/// all of it to every browser on every change would cost the server more in writes than the change
/// is worth, and a page that needs the rest reads it from the API.
struct LiveIncidentEvent: Encodable, Sendable {
    struct Headline: Encodable, Sendable {
        var id: Incident.ID
        /// Whose browsers get it; not sent.
        var orgID: Org.ID
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
            id: incident.id, orgID: incident.orgID, title: incident.title, severity: incident.severity,
            status: incident.status, assignee: incident.assignee, suspicionScore: incident.suspicionScore,
            leadCount: incident.leads.count, lastObservedAt: incident.lastObservedAt, createdAt: incident.createdAt,
            updatedAt: incident.updatedAt, mergedInto: incident.mergedInto)
        self.activities = event.activities
    }

    /// Reads an incident event off the bus: the same as decoding the ``IncidentEvent`` and taking
    /// its headline, without building the incident. The dispatcher reads every incident event, and
    /// a busy incident's document holds hundreds of leads that a browser's headline only counts;
    /// decoding them all was a fifth of a core at 5,000 events/s. Nil for a document of any other
    /// shape, which the caller decodes in full instead.
    init?(document bytes: [UInt8]) {
        guard let event = JSONScanner.document(in: bytes[...]), event.isObject,
            let kind = event["kind"]?.string.flatMap(IncidentEvent.Kind.init(rawValue:)),
            let incident = event["incident"].flatMap(Headline.init(document:))
        else { return nil }
        var activities: [IncidentActivity] = []
        if let list = event["activities"], list.kind != .null {
            guard list.isArray else { return nil }
            for element in list.elements {
                guard let activity = IncidentActivity(document: element) else { return nil }
                activities.append(activity)
            }
        }
        self.kind = kind
        self.incident = incident
        self.activities = activities
    }
}

extension LiveIncidentEvent.Headline {
    fileprivate init?(document incident: JSONNode) {
        guard let headline = try? Self(reading: incident) else { return nil }
        self = headline
    }

    private init(reading incident: JSONNode) throws(UnexpectedMember) {
        guard incident.isObject, let id = try incident["id"].string(), let orgID = try incident["org_id"].string(),
            let title = try incident["title"].string(),
            let severity = try incident["severity"].string().flatMap(IncidentSeverity.init(rawValue:)),
            let status = incident["status"]?.number.flatMap({ Int($0.text) }).flatMap(IncidentStatus.init(rawValue:)),
            let score = incident["suspicion_score"]?.number.flatMap({ Double($0.text) }),
            let leads = incident["leads"], leads.isArray
        else { throw UnexpectedMember() }
        self.init(
            id: Incident.ID(rawValue: id), orgID: Org.ID(rawValue: orgID), title: title, severity: severity,
            status: status, assignee: try incident["assignee"].string().map(User.ID.init(rawValue:)),
            suspicionScore: score, leadCount: leads.elementCount,
            lastObservedAt: try incident["last_observed_at"].date(), createdAt: try incident["created_at"].date(),
            updatedAt: try incident["updated_at"].date(),
            mergedInto: try incident["merged_into"].string().map(Incident.ID.init(rawValue:)))
    }
}

extension IncidentActivity {
    fileprivate init?(document activity: JSONNode) {
        guard let read = try? Self(reading: activity) else { return nil }
        self = read
    }

    private init(reading activity: JSONNode) throws(UnexpectedMember) {
        guard activity.isObject,
            let action = try activity["action"].string().flatMap(IncidentActivity.Action.init(rawValue:)),
            let actor = try activity["actor"].string()
        else { throw UnexpectedMember() }
        self.init(
            action, by: actor, at: try activity["at"].date(), from: try activity["from"].string(),
            to: try activity["to"].string())
    }
}
