/// All stores of one backend, as the services receive them.
public struct Storage: Sendable {
    public var artifacts: any ArtifactStore
    public var graph: any GraphStore
    public var incidents: any IncidentStore
    public var rules: any RuleStore
    public var reports: any ReportStore
    public var directory: any DirectoryStore
    public var notifications: any NotificationStore

    public init(
        artifacts: any ArtifactStore,
        graph: any GraphStore,
        incidents: any IncidentStore,
        rules: any RuleStore,
        reports: any ReportStore,
        directory: any DirectoryStore,
        notifications: any NotificationStore
    ) {
        self.artifacts = artifacts
        self.graph = graph
        self.incidents = incidents
        self.rules = rules
        self.reports = reports
        self.directory = directory
        self.notifications = notifications
    }
}
