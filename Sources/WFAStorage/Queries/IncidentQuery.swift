public import WFACore

/// A search over incidents, newest first by creation time (ties by id).
/// Backed in Cassandra by `incidents_by_day` (org, day of creation).
public struct IncidentQuery: Sendable, Hashable {
    /// Created within this range.
    public var timeRange: TimeRange
    /// Any of these statuses; empty means all.
    public var statuses: Set<IncidentStatus>
    /// At least this severe.
    public var minimumSeverity: IncidentSeverity?
    public var assignee: User.ID?
    /// Whether incidents merged into others are listed too.
    public var includeMerged: Bool
    public var page: PageRequest

    public init(
        timeRange: TimeRange = .all, statuses: Set<IncidentStatus> = [], minimumSeverity: IncidentSeverity? = nil,
        assignee: User.ID? = nil, includeMerged: Bool = true, page: PageRequest = PageRequest()
    ) {
        self.timeRange = timeRange
        self.statuses = statuses
        self.minimumSeverity = minimumSeverity
        self.assignee = assignee
        self.includeMerged = includeMerged
        self.page = page
    }

    public func matches(_ incident: Incident) -> Bool {
        guard self.timeRange.contains(incident.createdAt) else { return false }
        if !self.statuses.isEmpty, !self.statuses.contains(incident.status) { return false }
        if let minimumSeverity, incident.severity < minimumSeverity { return false }
        if let assignee, incident.assignee != assignee { return false }
        if !self.includeMerged, incident.mergedInto != nil { return false }
        return true
    }
}

/// A search over observations, newest first. Backed by `observations_by_day` (org, day).
public struct ObservationQuery: Sendable, Hashable {
    public var timeRange: TimeRange
    public var incidentID: Incident.ID?
    public var nodeID: Node.ID?
    public var page: PageRequest

    public init(
        timeRange: TimeRange = .all, incidentID: Incident.ID? = nil, nodeID: Node.ID? = nil,
        page: PageRequest = PageRequest()
    ) {
        self.timeRange = timeRange
        self.incidentID = incidentID
        self.nodeID = nodeID
        self.page = page
    }

    public func matches(_ observation: Observation) -> Bool {
        guard self.timeRange.contains(observation.observedAt) else { return false }
        if let incidentID, observation.incidentID != incidentID { return false }
        if let nodeID, observation.nodeID != nodeID { return false }
        return true
    }
}
