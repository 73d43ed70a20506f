import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

/// Graph writes whose caller deduplicates (an in-process pipeline): no ledger row per delta, one
/// mark per writer to settle a COMMIT whose outcome the connection lost.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresGraphWriterTests {
    @Test("a batch the caller deduplicates takes no ledger rows, only its writer's mark, and counts once")
    func callerDeduplicatedBatchSkipsTheLedger() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let org = Org.ID.random()
            let now = Date()
            let first = TestGraph.communication("a", org: org, from: "10.0.0.1", to: "10.0.0.2", at: now)
            let second = TestGraph.communication("b", org: org, from: "10.0.0.1", to: "10.0.0.3", at: now)
            try await database.storage.graph.apply([first], deduplication: .caller)
            try await database.storage.graph.apply([second], deduplication: .caller)
            let (ledger, writers) = try await database.pool.withConnection { connection in
                (
                    try connection.query("SELECT count(*) FROM graph_deltas").integer(),
                    try connection.query("SELECT count(*) FROM graph_writers").integer()
                )
            }
            #expect(ledger == 0)
            #expect(writers == 1)
            #expect(try await database.storage.graph.node("ip:10.0.0.1", in: org)?.artifactCount == 2)
            #expect(try await database.storage.graph.node("ip:10.0.0.3", in: org)?.artifactCount == 1)
        }
    }

    @Test("a batch's mark tells whether it committed, waiting for a transaction still holding it")
    func markSettlesAnUnknownCommit() async throws {
        try await TestDatabase.withFreshDatabase { database, url in
            let writer = try LibPQConnection(conninfo: url)
            // The writer's first batch inserts its row: the question must wait for that too.
            let first = GraphBatchMark(writer: "w")
            #expect(try await Self.answer(for: first, writtenBy: writer, endingWith: "COMMIT", pool: database.pool))
            let second = GraphBatchMark(writer: "w")
            #expect(
                try await Self.answer(for: second, writtenBy: writer, endingWith: "ROLLBACK", pool: database.pool)
                    == false)

            #expect(try await first.committed(in: database.pool))
            #expect(try await GraphBatchMark(writer: "w").committed(in: database.pool) == false)
            #expect(try await GraphBatchMark(writer: "never wrote").committed(in: database.pool) == false)
        }
    }

    /// What `mark.committed` answers when asked while `writer` holds the mark in an open
    /// transaction that then ends with `end` (`COMMIT` or `ROLLBACK`).
    static func answer(
        for mark: GraphBatchMark, writtenBy writer: LibPQConnection, endingWith end: String, pool: ConnectionPool
    ) async throws -> Bool {
        try writer.execute("BEGIN")
        try mark.write(using: writer)
        let answer = Task { try await mark.committed(in: pool) }
        try await Self.waitForOneLockWait(seenBy: writer)
        try writer.execute(end)
        return try await answer.value
    }

    /// Until another session of this database waits on a lock (the question, behind the batch).
    static func waitForOneLockWait(seenBy connection: LibPQConnection) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while true {
            let waiting = try connection.query(
                """
                SELECT count(*) FROM pg_stat_activity
                WHERE datname = current_database() AND wait_event_type = 'Lock'
                """
            ).integer()
            if waiting == 1 { return }
            try #require(ContinuousClock.now < deadline, "the question never waited for the batch")
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
