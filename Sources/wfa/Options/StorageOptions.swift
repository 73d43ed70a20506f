import ArgumentParser
import Foundation
import Logging
import WFAPostgres
import WFAStorage

/// Where wfa keeps its data: an existing PostgreSQL server, or (by default) a private one it runs.
struct StorageOptions: ParsableArguments {
    @Option(
        help:
            "PostgreSQL URL, e.g. postgres://wfa@db.example:5432/wfa (env WFA_DATABASE_URL). Default: a private server under --data-dir."
    )
    var database: String?

    @Option(
        help:
            "Data directory for the private PostgreSQL (env WFA_DATA_DIR). Default: /var/lib/wfa as root, else ~/.local/share/wfa."
    )
    var dataDir: String?

    @Option(help: "Seconds a storage call keeps retrying while the database is unreachable.")
    var databaseRetrySeconds: Int = 10

    var databaseURL: String? { self.database ?? ProcessInfo.processInfo.environment["WFA_DATABASE_URL"] }

    var dataDirectory: String {
        let environment = ProcessInfo.processInfo.environment
        if let directory = self.dataDir ?? environment["WFA_DATA_DIR"] {
            return URL(fileURLWithPath: directory).standardizedFileURL.path
        }
        if geteuid() == 0 { return "/var/lib/wfa" }
        let base = environment["XDG_DATA_HOME"] ?? (NSHomeDirectory() + "/.local/share")
        return base + "/wfa"
    }

    /// Opens the configured database (starting the private server first if that is the choice),
    /// runs `body`, and closes everything again, also when `body` throws.
    /// - Throws: storage failures as ``OperatorError``, with their cause and a hint for the operator.
    func withDatabase<Result>(
        logger: Logger, _ body: (PostgresDatabase, StorageLocation) async throws -> Result
    ) async throws -> Result {
        try await OperatorError.reporting { try await self.openDatabase(logger: logger, body) }
    }

    private func openDatabase<Result>(
        logger: Logger, _ body: (PostgresDatabase, StorageLocation) async throws -> Result
    ) async throws -> Result {
        let location: StorageLocation
        let embedded: EmbeddedPostgres?
        var stopEmbedded = false
        if let url = self.databaseURL {
            location = .external(redacted: Self.redacted(url))
            embedded = nil
        } else {
            let server = EmbeddedPostgres(
                configuration: .init(directory: self.dataDirectory + "/postgres"), logger: logger)
            let outcome = try await server.start()
            stopEmbedded = !outcome.wasRunning
            location = .embedded(directory: server.configuration.directory, created: outcome.created)
            logger.info(
                "Using embedded PostgreSQL (no --database given)",
                metadata: ["db.directory": "\(server.configuration.directory)", "db.created": "\(outcome.created)"])
            embedded = server
        }
        let url = self.databaseURL ?? embedded?.url ?? ""
        do {
            let database = try await PostgresDatabase.open(
                .init(url: url, retryTimeout: .seconds(Int64(max(1, self.databaseRetrySeconds)))), logger: logger)
            let result: Result
            do {
                result = try await body(database, location)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
            if stopEmbedded { try await embedded?.stop() }
            return result
        } catch {
            if stopEmbedded { try? await embedded?.stop() }
            throw error
        }
    }

    /// The URL without its password, for logs and output.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url), components.password != nil else { return url }
        components.password = "<redacted>"
        return components.string ?? "<database url>"
    }
}

/// Which database a command ended up using, for its report to the user.
enum StorageLocation: CustomStringConvertible {
    case external(redacted: String)
    case embedded(directory: String, created: Bool)

    var description: String {
        switch self {
        case .external(let url): "PostgreSQL at \(url)"
        case .embedded(let directory, let created):
            "embedded PostgreSQL in \(directory)" + (created ? " (initialized now)" : "")
        }
    }
}
