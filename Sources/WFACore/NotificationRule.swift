public import Foundation

/// Which incident events go to which channel: event kinds, a severity floor, and a cooldown so
/// one busy incident does not flood the channel.
public struct NotificationRule: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<NotificationRule>

    /// The events a rule can ask for.
    public enum Event: String, Sendable, Codable, Hashable, CaseIterable {
        case created = "incident.created"
        case statusChanged = "incident.status_changed"
        case severityChanged = "incident.severity_changed"
        case assigned = "incident.assigned"
        case noteAdded = "incident.note_added"

        /// The event an audit entry stands for; nil for merges, which are not notified.
        public init?(_ action: IncidentActivity.Action) {
            switch action {
            case .created: self = .created
            case .statusChanged: self = .statusChanged
            case .severityChanged: self = .severityChanged
            case .assigned: self = .assigned
            case .noteAdded: self = .noteAdded
            case .merged: return nil
            }
        }
    }

    public var id: ID
    public var orgID: Org.ID
    public var name: String
    public var channelID: NotificationChannel.ID
    public var events: Set<Event>
    /// Incidents below this severity are not notified.
    public var minimumSeverity: IncidentSeverity
    /// After a notification for an incident, further events of the same incident wait this long.
    public var cooldownSeconds: Int
    public var enabled: Bool
    public var createdAt: Date

    public init(
        id: ID = .random(), orgID: Org.ID, name: String, channelID: NotificationChannel.ID, events: Set<Event>,
        minimumSeverity: IncidentSeverity = .informational, cooldownSeconds: Int = 0, enabled: Bool = true,
        createdAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.channelID = channelID
        self.events = events
        self.minimumSeverity = minimumSeverity
        self.cooldownSeconds = max(cooldownSeconds, 0)
        self.enabled = enabled
        self.createdAt = EpochMicroseconds.normalize(createdAt)
    }

    /// Whether an event of `incident` is one this rule sends.
    public func wants(_ event: Event, about incident: Incident) -> Bool {
        self.enabled && self.events.contains(event) && incident.severity >= self.minimumSeverity
    }

    enum CodingKeys: String, CodingKey {
        case id, name, events, enabled
        case orgID = "org_id"
        case channelID = "channel_id"
        case minimumSeverity = "minimum_severity"
        case cooldownSeconds = "cooldown_seconds"
        case createdAt = "created_at"
    }
}
