import Testing
import WFAStorage

/// The in-memory backend is the reference implementation: it must pass every conformance check.
struct InMemoryStorageConformanceTests {
    @Test("in-memory artifact store keeps every ArtifactStore promise", arguments: ArtifactStoreConformance.allCases)
    func artifactStoreConforms(_ property: ArtifactStoreConformance) async throws {
        try await property.check { InMemoryArtifactStore() }
    }

    @Test("in-memory graph store keeps every GraphStore promise", arguments: GraphStoreConformance.allCases)
    func graphStoreConforms(_ property: GraphStoreConformance) async throws {
        try await property.check { InMemoryGraphStore() }
    }

    @Test("in-memory incident store keeps every IncidentStore promise", arguments: IncidentStoreConformance.allCases)
    func incidentStoreConforms(_ property: IncidentStoreConformance) async throws {
        try await property.check { InMemoryIncidentStore() }
    }

    @Test("in-memory rule store keeps every RuleStore promise", arguments: RuleStoreConformance.allCases)
    func ruleStoreConforms(_ property: RuleStoreConformance) async throws {
        try await property.check { InMemoryRuleStore() }
    }

    @Test("in-memory report store keeps every ReportStore promise", arguments: ReportStoreConformance.allCases)
    func reportStoreConforms(_ property: ReportStoreConformance) async throws {
        try await property.check { InMemoryReportStore() }
    }

    @Test("in-memory directory keeps every DirectoryStore promise", arguments: DirectoryStoreConformance.allCases)
    func directoryStoreConforms(_ property: DirectoryStoreConformance) async throws {
        try await property.check { InMemoryDirectoryStore() }
    }

    @Test("retention sweep over the in-memory backend cuts each category at its own period")
    func retentionSweepHonoursEachCategory() async throws {
        try await RetentionSweeperConformance.sweepHonoursEachCategory.check { Storage.inMemory() }
    }

    @Test(
        "in-memory notification store keeps every NotificationStore promise",
        arguments: NotificationStoreConformance.allCases)
    func notificationStoreConforms(_ property: NotificationStoreConformance) async throws {
        try await property.check { InMemoryNotificationStore() }
    }
}
