import Foundation
import Logging
import Testing
import WFAStorage

@testable import WFAPostgres

/// Fresh databases on the test PostgreSQL server that `scripts/services.sh start` runs
/// (its URL arrives in `WFA_TEST_DATABASE_URL`).
enum TestDatabase {
    static let environment = ProcessInfo.processInfo.environment

    /// The server's URL. Unset means "skip" for a developer, but under CI a missing server must fail
    /// the run, so the suites stay enabled and fail loudly.
    static var url: String? { environment["WFA_TEST_DATABASE_URL"] }
    static var isEnabled: Bool { url != nil || environment["CI"] != nil }

    static let logger = Logger(label: "wfa.tests.postgres", factory: { _ in SwiftLogNoOpLogHandler() })

    /// Creates an empty database, opens it (running migrations), runs `body`, then drops it.
    static func withFreshDatabase<Result>(
        maximumConnections: Int = 2, now: @escaping @Sendable () -> Date = { Date() },
        _ body: (PostgresDatabase, String) async throws -> Result
    ) async throws -> Result {
        let base = try #require(url, "WFA_TEST_DATABASE_URL is not set: run scripts/services.sh start")
        let name = "wfa_test_" + UUID().uuidString.prefix(12).lowercased().replacingOccurrences(of: "-", with: "")
        let databaseURL = try await PostgresDatabase.createDatabase(named: name, onServer: base, logger: logger)
        do {
            let database = try await PostgresDatabase.open(
                .init(url: databaseURL, maximumConnections: maximumConnections, retryTimeout: .seconds(5), now: now),
                logger: logger)
            let result: Result
            do {
                result = try await body(database, databaseURL)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            try await PostgresDatabase.dropDatabase(named: name, onServer: base, logger: logger)
            return result
        } catch {
            try? await PostgresDatabase.dropDatabase(named: name, onServer: base, logger: logger)
            throw error
        }
    }
}
