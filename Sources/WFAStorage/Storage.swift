/// All stores of one backend, as the services receive them.
public struct Storage: Sendable {
    public var artifacts: any ArtifactStore
    public var graph: any GraphStore
    public var incidents: any IncidentStore
    public var rules: any RuleStore
    public var reports: any ReportStore
    public var directory: any DirectoryStore

    public init(
        artifacts: any ArtifactStore,
        graph: any GraphStore,
        incidents: any IncidentStore,
        rules: any RuleStore,
        reports: any ReportStore,
        directory: any DirectoryStore
    ) {
        self.artifacts = artifacts
        self.graph = graph
        self.incidents = incidents
        self.rules = rules
        self.reports = reports
        self.directory = directory
    }
}
