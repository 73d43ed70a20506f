import Foundation
import Logging
import WFAPostgres

/// A database a benchmark may fill and throw away: a temporary private PostgreSQL, or a new
/// database on the given server, dropped afterwards. The user's data is never touched.
enum ScratchDatabase {
    /// Runs `body` with the scratch database's URL, and removes it afterwards (also on errors)
    /// unless `keeping` a database on `server`, whose URL is then printed.
    static func with<Result>(
        onServer server: String?, keeping: Bool = false, logger: Logger, _ body: (String) async throws -> Result
    ) async throws -> Result {
        let scratch = "wfa_bench_\(getpid())"
        let embedded: EmbeddedPostgres?
        let url: String
        if let server {
            do {
                url = try await PostgresDatabase.createDatabase(named: scratch, onServer: server, logger: logger)
            } catch {
                let shown = server.isEmpty ? "an empty URL" : StorageOptions.redacted(server)
                throw CommandError(
                    description: "cannot create a scratch database on \(shown) (\(error)); check that "
                        + "PostgreSQL runs there and that --database is a postgres:// URL of a user who may "
                        + "create databases, or leave --database out to use a temporary private server")
            }
            embedded = nil
        } else {
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent(scratch).path
            let postgres = EmbeddedPostgres(configuration: .init(directory: directory), logger: logger)
            print("bench: starting a temporary PostgreSQL in \(directory)")
            try await postgres.start()
            url = postgres.url
            embedded = postgres
        }
        func cleanUp() async throws {
            if let embedded {
                try await embedded.stop()
                try? FileManager.default.removeItem(atPath: embedded.configuration.directory)
            } else if keeping {
                print("bench: kept the scratch database at \(url)")
            } else if let server {
                try await PostgresDatabase.dropDatabase(named: scratch, onServer: server, logger: logger)
            }
        }
        let result: Result
        do {
            result = try await OperatorError.reporting { try await body(url) }
        } catch {
            try? await cleanUp()
            throw error
        }
        try await cleanUp()
        return result
    }
}
