import Foundation
import Testing
import WFACore
import WFAPostgres
import WFAStorage

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL binaries: run scripts/install-deps.sh"))
struct EmbeddedPostgresTests {
    @Test("the first start initializes a cluster, later starts reuse it and its data, stop shuts it down")
    func clusterIsCreatedOnceAndReused() async throws {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("wfa-embedded-\(UUID().uuidString.prefix(8))").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let server = EmbeddedPostgres(configuration: .init(directory: directory), logger: TestDatabase.logger)

        let first = try await server.start()
        #expect(first == .init(created: true, wasRunning: false))
        let again = try await server.start()
        #expect(again == .init(created: false, wasRunning: true), "a running cluster is reused, not restarted")

        let org = Org.ID.random()
        let artifact = Artifact(orgID: org, timestamp: Date(), source: "embedded-test", raw: Array("hello".utf8))
        let database = try await PostgresDatabase.open(.init(url: server.url), logger: TestDatabase.logger)
        try await database.storage.artifacts.append([artifact])
        await database.close()
        try await server.stop()
        #expect(server.serverProcessID() == nil, "stopped")

        let restarted = try await server.start()
        #expect(restarted == .init(created: false, wasRunning: false))
        let reopened = try await PostgresDatabase.open(.init(url: server.url), logger: TestDatabase.logger)
        #expect(
            try await reopened.storage.artifacts.artifact(artifact.id, in: org) == artifact, "data survives restarts")
        #expect(reopened.migrationsAppliedAtOpen == [], "schema already current")
        await reopened.close()
        try await server.stop()
    }
}
