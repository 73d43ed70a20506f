import Foundation
import Logging
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

/// What happens when PostgreSQL dies under a bulk append. Runs its own embedded cluster, since the
/// test kills it.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL binaries: run scripts/install-deps.sh"))
struct PostgresCrashTests {
    /// Every process of the cluster, killed at once with SIGKILL: what an OOM kill or power cut does.
    @discardableResult
    static func killCluster(postmaster: Int32) -> [Int32] {
        var victims: [Int32] = []
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? [] {
            guard let pid = Int32(entry),
                let stat = try? String(contentsOfFile: "/proc/\(entry)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")")
            else { continue }
            // Fields after "comm)": state, ppid, ...
            let fields = stat[stat.index(after: close)...].split(separator: " ")
            if fields.count > 1, Int32(fields[1]) == postmaster { victims.append(pid) }
        }
        kill(postmaster, SIGKILL)
        for pid in victims { kill(pid, SIGKILL) }
        return [postmaster] + victims
    }

    /// Runs one step, naming it in the failure so a broken step is obvious in CI output.
    @discardableResult
    static func step<Result>(_ name: String, _ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch {
            Issue.record("step '\(name)' failed: \(String(reflecting: error))")
            throw error
        }
    }

    /// Waits until every process of the killed cluster is gone, zombies included (init reaps them
    /// only after a moment), so the restart does not find them.
    static func waitUntilGone(_ pids: [Int32]) async throws {
        let clock = ContinuousClock()
        let began = clock.now
        while pids.contains(where: { FileManager.default.fileExists(atPath: "/proc/\($0)") }) {
            try #require(clock.now - began < .seconds(60), "killed PostgreSQL processes did not exit")
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a bulk append cut off by killing PostgreSQL fails, and repeating it after restart stores each artifact once")
    func appendSurvivesServerKill() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "wfa-crash-\(UUID().uuidString.prefix(8))"
        ).path
        let server = EmbeddedPostgres(configuration: .init(directory: directory), logger: TestDatabase.logger)
        try await Self.step("first start") { try await server.start() }
        let database = try await Self.step("open") {
            try await PostgresDatabase.open(
                .init(url: server.url, maximumConnections: 2, retryTimeout: .seconds(10)), logger: TestDatabase.logger)
        }
        let org = Org.ID.random()
        let start = Date()
        let batch = (0..<30_000).map { index in
            var artifact = Artifact(
                orgID: org, timestamp: start.addingTimeInterval(Double(index) / 1_000), source: "crash-test",
                messageType: .authFailure, raw: Array("sshd[\(index)]: Failed password for root from 203.0.113.9".utf8))
            artifact.clientIP = IPAddress("203.0.113.\(index % 250)")
            artifact.userName = "user\(index % 97)"
            return artifact
        }
        let store = database.storage.artifacts
        // The COPY is held at the door so the watcher cannot miss it, however loaded the machine: the
        // day partitions exist first, then another session takes a SHARE lock on `artifacts`, which
        // the COPY's ROW EXCLUSIVE lock waits for (with its statement active) until the kill.
        try await database.ensurePartitions(.artifacts, for: Set(batch.map { UTCDay($0.timestamp) }))
        let gate = try await PostgresDatabase.open(
            .init(url: server.url, maximumConnections: 1, retryTimeout: .seconds(1)), logger: TestDatabase.logger)
        try await gate.pool.withConnection { try $0.execute("BEGIN; LOCK TABLE artifacts IN SHARE MODE") }
        let watcher = try await PostgresDatabase.open(
            .init(url: server.url, maximumConnections: 1, retryTimeout: .seconds(1)), logger: TestDatabase.logger)
        let firstAttempt = Task { try await store.append(batch) }
        // Wait until the COPY is under way, then kill the whole cluster.
        var copying = false
        let clock = ContinuousClock()
        let began = clock.now
        while !copying, clock.now - began < .seconds(120) {
            copying = try await watcher.pool.withConnection { connection in
                try connection.query(
                    "SELECT count(*) FROM pg_stat_activity WHERE query LIKE 'COPY artifacts%' AND state = 'active'"
                ).integer() > 0
            }
            if !copying { try await Task.sleep(for: .milliseconds(5)) }
        }
        try #require(copying, "the append reached COPY")
        let killed = Self.killCluster(postmaster: try #require(server.serverProcessID()))
        await watcher.close()
        await gate.close()

        let failure = await #expect(throws: StorageError.self) { try await firstAttempt.value }
        #expect(failure?.code == .unavailable)

        try await Self.waitUntilGone(killed)
        try await Self.step("restart") { try await server.start() }
        let afterCrash = try await Self.step("search after restart") {
            try await store.search(
                ArtifactQuery(source: "crash-test", page: PageRequest(limit: 1)), in: org)
        }
        #expect(afterCrash.total == 0, "nothing of the failed append is visible")

        try await Self.step("append after restart") { try await store.append(batch) }
        try await store.append(Array(batch.prefix(10_000)))  // a redelivered slice changes nothing
        let counts = try await database.pool.withConnection { connection in
            try connection.query("SELECT count(*), count(DISTINCT id) FROM artifacts WHERE org_id = $1", [org.rawValue])
                .rows
        }
        #expect(counts.first == ["30000", "30000"])
        await database.close()
        try await server.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}
