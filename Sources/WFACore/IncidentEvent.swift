/// What the incident engine and the API tell the dispatcher and the notifier: an incident was
/// created, changed or merged into another, with its state after the change and the audit
/// entries that describe the change.
public struct IncidentEvent: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case created, updated, merged
    }

    public var kind: Kind
    public var incident: Incident
    /// The changes this event reports (a status change, a new note, a severity rise); empty
    /// when only leads were added.
    public var activities: [IncidentActivity]

    public init(kind: Kind, incident: Incident, activities: [IncidentActivity] = []) {
        self.kind = kind
        self.incident = incident
        self.activities = activities
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.kind = try container.decode(Kind.self, forKey: .kind)
        self.incident = try container.decode(Incident.self, forKey: .incident)
        self.activities = try container.decodeIfPresent([IncidentActivity].self, forKey: .activities) ?? []
    }
}
