/// What the incident engine tells the dispatcher and webhooks: an incident was created, changed or
/// merged into another, with its state after the change.
public struct IncidentEvent: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, Hashable {
        case created, updated, merged
    }

    public var kind: Kind
    public var incident: Incident

    public init(kind: Kind, incident: Incident) {
        self.kind = kind
        self.incident = incident
    }
}
