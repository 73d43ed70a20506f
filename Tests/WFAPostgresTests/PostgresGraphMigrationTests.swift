import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresGraphMigrationTests {
    static let day: TimeInterval = 86_400

    @Test("version 5 gives edges stored before it their day range, so walks read them as before")
    func edgeDaysBackfilled() async throws {
        let now = Date()
        try await TestDatabase.withFreshDatabase(now: { now }) { database, _ in
            let org = Org.ID.random()
            let graph = database.storage.graph
            try await graph.apply([
                TestGraph.communication(
                    "d1", org: org, from: "10.0.0.1", to: "10.0.0.2", at: now.addingTimeInterval(-3 * Self.day)),
                TestGraph.communication(
                    "d2", org: org, from: "10.0.0.1", to: "10.0.0.2", at: now.addingTimeInterval(-1 * Self.day)),
                TestGraph.communication(
                    "d3", org: org, from: "10.0.0.3", to: "10.0.0.1", at: now.addingTimeInterval(-2 * Self.day)),
            ])
            let before = try await graph.edges(touching: ["ip:10.0.0.1"], limitPerNode: 10, in: org)
            #expect(before.count == 2)
            #expect(before.first { $0.targetID == "ip:10.0.0.2" }?.artifactCount == 2)

            // Back to version 4: edges and nodes as they were, no graph epoch or writers, then open again.
            try await database.pool.withConnection { connection in
                try connection.execute(
                    """
                    DROP TABLE graph_epoch, graph_writers;
                    CREATE INDEX nodes_last_seen ON nodes (last_seen);
                    ALTER TABLE edges DROP COLUMN first_day, DROP COLUMN last_day;
                    CREATE INDEX edge_days_source ON edge_days (org_id, source_id);
                    CREATE INDEX edge_days_target ON edge_days (org_id, target_id);
                    DELETE FROM schema_migrations WHERE version >= 5;
                    """)
            }
            #expect(try await database.migrate().contains(5))
            let after = try await graph.edges(touching: ["ip:10.0.0.1"], limitPerNode: 10, in: org)
            #expect(after == before)
            let newest = try await graph.edges(touching: ["ip:10.0.0.1"], limitPerNode: 1, in: org)
            #expect(newest.map(\.targetID) == ["ip:10.0.0.2"])
            let searched = try await graph.searchEdges(EdgeQuery(nodeID: "ip:10.0.0.1"), in: org)
            #expect(searched.items == before.sorted { $0.lastSeen > $1.lastSeen })
        }
    }
}
