import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresPartitionTests {
    /// 2026-03-10T12:00:00Z: tests fix "now" so partition windows do not depend on the real date.
    static let now = Date(timeIntervalSince1970: 1_773_144_000)
    static let day: TimeInterval = 86_400

    static func artifact(org: Org.ID, daysAgo: Double) -> Artifact {
        Artifact(orgID: org, timestamp: now.addingTimeInterval(-daysAgo * day), source: "test", raw: Array("x".utf8))
    }

    static func partitionDays(_ table: PostgresDatabase.PartitionedTable, in database: PostgresDatabase) async throws
        -> [String]
    {
        try await database.pool.withConnection { connection in
            try database.partitions(of: table, using: connection).map(\.day.text).sorted()
        }
    }

    static func rowCount(_ table: String, in database: PostgresDatabase) async throws -> Int {
        try await database.pool.withConnection { try $0.query("SELECT count(*) FROM \(table)").integer() }
    }

    @Test("processes opening the database together all succeed while they create the same new partitions")
    func concurrentOpensShareThePartitions() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, url in
            for month in 1...3 {
                let later = Self.now.addingTimeInterval(Double(month) * 30 * Self.day)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            let other = try await PostgresDatabase.open(
                                .init(url: url, maximumConnections: 1, retryTimeout: .seconds(5), now: { later }),
                                logger: TestDatabase.logger)
                            await other.close()
                        }
                    }
                    try await group.waitForAll()
                }
            }
            #expect(try await Self.partitionDays(.artifacts, in: database).count == 16)
        }
    }

    @Test("opening a database makes today's and the next three days' partitions")
    func partitionsAreCreatedAhead() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, _ in
            let expected = ["2026-03-10", "2026-03-11", "2026-03-12", "2026-03-13"]
            let artifactDays = try await Self.partitionDays(.artifacts, in: database)
            let edgeDays = try await Self.partitionDays(.edgeDays, in: database)
            #expect(artifactDays == expected)
            #expect(edgeDays == expected)
        }
    }

    @Test("a batch makes the day partitions it needs; days outside the window go to the default partition")
    func batchesMakeTheirPartitions() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, _ in
            let org = Org.ID.random()
            try await database.storage.artifacts.append([
                Self.artifact(org: org, daysAgo: 5), Self.artifact(org: org, daysAgo: 5.6),
                Self.artifact(org: org, daysAgo: 400),
            ])
            #expect(try await Self.partitionDays(.artifacts, in: database).contains("2026-03-05"))
            #expect(try await Self.rowCount("artifacts_p20260305", in: database) == 1)
            #expect(try await Self.rowCount("artifacts_p20260304", in: database) == 1)
            #expect(try await Self.rowCount("artifacts_default", in: database) == 1)
        }
    }

    @Test("node and edge-day pages keep room for updates in place, new edge-day partitions too")
    func graphTablesKeepRoom() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, _ in
            try await database.ensurePartitions(.edgeDays, for: [UTCDay(Self.now.addingTimeInterval(-10 * Self.day))])
            try await database.ensurePartitions(.artifacts, for: [UTCDay(Self.now.addingTimeInterval(-10 * Self.day))])
            let options = try await database.pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT c.relname, coalesce(array_to_string(c.reloptions, ','), '') FROM pg_class c
                    WHERE c.relname IN ('nodes', 'edge_days_default', 'edge_days_p20260310', 'edge_days_p20260228',
                                        'artifacts_p20260228')
                    ORDER BY 1
                    """
                ).rows.map { "\($0[0] ?? ""): \($0[1] ?? "")" }
            }
            #expect(
                options == [
                    "artifacts_p20260228: ", "edge_days_default: fillfactor=80", "edge_days_p20260228: fillfactor=80",
                    "edge_days_p20260310: fillfactor=80", "nodes: fillfactor=80",
                ])
            let nodeIndexes = try await database.pool.withConnection { connection in
                try connection.query("SELECT indexname FROM pg_indexes WHERE tablename = 'nodes' ORDER BY 1").rows
                    .compactMap { $0[0] }
            }
            #expect(nodeIndexes == ["nodes_pkey", "nodes_type_value"])
        }
    }

    @Test("making a partition moves that day's rows out of the default partition")
    func newPartitionAdoptsDefaultRows() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, url in
            let org = Org.ID.random()
            let old = Self.artifact(org: org, daysAgo: 100)
            try await database.storage.artifacts.append([old])
            #expect(try await Self.rowCount("artifacts_default", in: database) == 1)
            // A second process with a wider window creates the partition for that day.
            let wider = try await PostgresDatabase.open(
                .init(url: url, maximumConnections: 1, partitionDaysBack: 200, now: { Self.now }),
                logger: TestDatabase.logger)
            let sameDay = Self.artifact(org: org, daysAgo: 100)
            try await wider.storage.artifacts.append([sameDay])
            await wider.close()
            #expect(try await Self.rowCount("artifacts_default", in: database) == 0)
            #expect(try await Self.rowCount("artifacts_p20251130", in: database) == 2)
            #expect(try await database.storage.artifacts.artifact(old.id, in: org) == old)
        }
    }

    @Test("retention drops whole expired day partitions and trims the boundary day")
    func retentionDropsPartitions() async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, _ in
            let org = Org.ID.random()
            let artifacts = stride(from: 0.0, through: 9.0, by: 0.5).map { Self.artifact(org: org, daysAgo: $0) }
            try await database.storage.artifacts.append(artifacts)
            let cutoff = Self.now.addingTimeInterval(-5 * Self.day)  // 2026-03-05T12:00Z
            let expected = artifacts.filter { $0.timestamp < cutoff }.count
            #expect(try await database.storage.artifacts.purge(before: cutoff, dryRun: true) == expected)
            #expect(try await database.storage.artifacts.purge(before: cutoff, dryRun: false) == expected)
            let days = try await Self.partitionDays(.artifacts, in: database)
            #expect(days.first == "2026-03-05", "partitions before the cutoff's day are dropped")
            let left = try await database.storage.artifacts.search(
                ArtifactQuery(page: PageRequest(limit: 100)), in: org)
            #expect(Set(left.items.map(\.id)) == Set(artifacts.filter { $0.timestamp >= cutoff }.map(\.id)))
            // Appending to a dropped day again recreates its partition.
            try await database.storage.artifacts.append([Self.artifact(org: org, daysAgo: 8)])
            #expect(try await Self.partitionDays(.artifacts, in: database).contains("2026-03-02"))
        }
    }

    @Test("migrations are recorded and applied once")
    func migrationsApplyOnce() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let version = try await database.schemaVersion()
            let appliedAgain = try await database.migrate()
            #expect(version == PostgresMigrations.latestVersion)
            #expect(appliedAgain == [])
        }
    }

    @Test("an unreachable server gives storage.unavailable once the retry budget is spent")
    func unreachableServerIsAnError() async throws {
        let error = await #expect(throws: StorageError.self) {
            _ = try await PostgresDatabase.open(
                .init(url: "postgres://wfa@127.0.0.1:1/wfa?connect_timeout=1", retryTimeout: .milliseconds(300)),
                logger: TestDatabase.logger)
        }
        #expect(error?.code == .unavailable)
        #expect(error.map { "\($0)" } == "StorageError(storage.unavailable)", "description leaks nothing")
    }

    @Test("text search matches raw bytes case-insensitively, including invalid UTF-8 and LIKE wildcards")
    func textSearchHandlesAnyBytes() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let org = Org.ID.random()
            var binary = Self.artifact(org: org, daysAgo: 1)
            binary.raw = [0x41, 0xff, 0x5c, 0x25, 0x5f, 0x00] + Array("Path C:\\Temp 50%_off é".utf8)
            try await database.storage.artifacts.append([binary, Self.artifact(org: org, daysAgo: 1)])
            for needle in ["c:\\temp", "50%_OFF", "é", "\\temp 50"] {
                let found = try await database.storage.artifacts.search(ArtifactQuery(text: needle), in: org)
                #expect(found.items.map(\.id) == [binary.id], "\(needle)")
            }
            #expect(try await database.storage.artifacts.search(ArtifactQuery(text: "50%x"), in: org).total == 0)
        }
    }
}
