public import Foundation

/// A task inside an incident.
public struct WorkUnit: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<WorkUnit>

    public enum Status: String, Sendable, Codable, Hashable, CaseIterable {
        case open
        case inProgress = "in_progress"
        case complete
        case cancelled
    }

    public var id: ID
    public var orgID: Org.ID
    public var incidentID: Incident.ID
    public var title: String
    public var details: String
    public var status: Status
    /// 1 (most urgent) ... 5.
    public var priority: Int
    public var assignee: User.ID?
    /// Time analysts logged on the task, in seconds.
    public var timeSpentSeconds: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        incidentID: Incident.ID,
        title: String,
        details: String = "",
        status: Status = .open,
        priority: Int = 3,
        assignee: User.ID? = nil,
        timeSpentSeconds: Int = 0,
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.incidentID = incidentID
        self.title = title
        self.details = details
        self.status = status
        self.priority = min(max(priority, 1), 5)
        self.assignee = assignee
        self.timeSpentSeconds = max(timeSpentSeconds, 0)
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.updatedAt = EpochMicroseconds.normalize(updatedAt ?? createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, title, details, status, priority, assignee
        case orgID = "org_id"
        case incidentID = "incident_id"
        case timeSpentSeconds = "time_spent_seconds"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}
