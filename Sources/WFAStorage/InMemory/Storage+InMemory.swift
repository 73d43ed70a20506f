extension Storage {
    /// A complete in-memory backend: nothing survives the process.
    public static func inMemory() -> Storage {
        Storage(
            artifacts: InMemoryArtifactStore(),
            graph: InMemoryGraphStore(),
            incidents: InMemoryIncidentStore(),
            rules: InMemoryRuleStore(),
            reports: InMemoryReportStore(),
            directory: InMemoryDirectoryStore(), notifications: InMemoryNotificationStore())
    }
}
