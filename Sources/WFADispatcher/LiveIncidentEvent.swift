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
        guard incident.isObject, let id = incident["id"]?.string, let orgID = incident["org_id"]?.string,
            let title = incident["title"]?.string,
            let severity = incident["severity"]?.string.flatMap(IncidentSeverity.init(rawValue:)),
            let status = incident["status"]?.number.flatMap({ Int($0.text) }).flatMap(IncidentStatus.init(rawValue:)),
            let score = incident["suspicion_score"]?.number.flatMap({ Double($0.text) }),
            let leads = incident["leads"], leads.isArray,
            let lastObservedAt = incident["last_observed_at"].date, let createdAt = incident["created_at"].date,
            let updatedAt = incident["updated_at"].date,
            let assignee = incident["assignee"].optionalString, let mergedInto = incident["merged_into"].optionalString
        else { return nil }
        self.init(
            id: Incident.ID(rawValue: id), orgID: Org.ID(rawValue: orgID), title: title, severity: severity,
            status: status, assignee: assignee.map(User.ID.init(rawValue:)), suspicionScore: score,
            leadCount: leads.elementCount, lastObservedAt: lastObservedAt, createdAt: createdAt, updatedAt: updatedAt,
            mergedInto: mergedInto.map(Incident.ID.init(rawValue:)))
    }
}

extension IncidentActivity {
    fileprivate init?(document activity: JSONNode) {
        guard activity.isObject,
            let action = activity["action"]?.string.flatMap(IncidentActivity.Action.init(rawValue:)),
            let actor = activity["actor"]?.string, let at = activity["at"].date,
            let from = activity["from"].optionalString, let to = activity["to"].optionalString
        else { return nil }
        self.init(action, by: actor, at: at, from: from, to: to)
    }
}

extension JSONNode? {
    /// A string member that may be missing or null: `.some(nil)` then, nil when it is something else.
    fileprivate var optionalString: String?? {
        guard let self, self.kind != .null else { return .some(nil) }
        return self.string.map { .some($0) }
    }

    fileprivate var date: Date? {
        self?.string.flatMap { TimestampFormat.date(from: $0) }
    }
}
