import Testing
import WFAPostgres
import WFAStorage

/// The PostgreSQL adapter keeps every promise of the storage protocols, checked by the same suite
/// as the in-memory reference, each check on a fresh database.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresConformanceTests {
    @Test("PostgreSQL artifact store keeps every ArtifactStore promise", arguments: ArtifactStoreConformance.allCases)
    func artifactStoreConforms(_ property: ArtifactStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.artifacts }
        }
    }

    @Test("PostgreSQL graph store keeps every GraphStore promise", arguments: GraphStoreConformance.allCases)
    func graphStoreConforms(_ property: GraphStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.graph }
        }
    }

    @Test("PostgreSQL incident store keeps every IncidentStore promise", arguments: IncidentStoreConformance.allCases)
    func incidentStoreConforms(_ property: IncidentStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.incidents }
        }
    }

    @Test("PostgreSQL rule store keeps every RuleStore promise", arguments: RuleStoreConformance.allCases)
    func ruleStoreConforms(_ property: RuleStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.rules }
        }
    }

    @Test("PostgreSQL report store keeps every ReportStore promise", arguments: ReportStoreConformance.allCases)
    func reportStoreConforms(_ property: ReportStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.reports }
        }
    }

    @Test("PostgreSQL directory keeps every DirectoryStore promise", arguments: DirectoryStoreConformance.allCases)
    func directoryStoreConforms(_ property: DirectoryStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.directory }
        }
    }

    @Test("retention sweep over PostgreSQL cuts each category at its own period")
    func retentionSweepHonoursEachCategory() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await RetentionSweeperConformance.sweepHonoursEachCategory.check { database.storage }
        }
    }

    @Test(
        "PostgreSQL notification store keeps every NotificationStore promise",
        arguments: NotificationStoreConformance.allCases)
    func notificationStoreConforms(_ property: NotificationStoreConformance) async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            try await property.check { database.storage.notifications }
        }
    }
}
