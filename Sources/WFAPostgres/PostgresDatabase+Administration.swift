import Foundation
public import Logging
public import WFACore
import WFAStorage

extension PostgresDatabase {
    /// Creates an empty database on the server at `serverURL` and returns its URL.
    /// - Parameter name: lower-case letters, digits and `_` only (it is spliced into DDL).
    /// - Throws: ``StorageError`` `storage.invalid_data` for another name; `storage.unavailable`.
    public static func createDatabase(named name: String, onServer serverURL: String, logger: Logger) async throws
        -> String
    {
        try Self.validate(databaseName: name)
        try await Self.administer(serverURL, "CREATE DATABASE \(name)", logger: logger)
        guard var components = URLComponents(string: serverURL) else {
            throw StorageError(.invalidData, "the server address must be a postgres:// URL")
        }
        components.path = "/" + name
        return components.string ?? serverURL
    }

    /// Drops a database created by ``createDatabase(named:onServer:logger:)``, ending its sessions.
    public static func dropDatabase(named name: String, onServer serverURL: String, logger: Logger) async throws {
        try Self.validate(databaseName: name)
        try await Self.administer(serverURL, "DROP DATABASE IF EXISTS \(name) WITH (FORCE)", logger: logger)
    }

    private static func validate(databaseName name: String) throws {
        guard !name.isEmpty, name.count <= 63,
            name.unicodeScalars.allSatisfy({ ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "_" })
        else { throw StorageError(.invalidData, "database names may hold a-z, 0-9 and _ only") }
    }

    private static func administer(_ url: String, _ sql: String, logger: Logger) async throws {
        let pool = ConnectionPool(
            configuration: .init(conninfo: url, maximumConnections: 1, retryTimeout: .seconds(5)), logger: logger)
        do {
            try await pool.withConnection { try $0.execute(sql) }
        } catch {
            await pool.close()
            throw error
        }
        await pool.close()
    }

    /// Times a COPY of `artifacts`, encoded beforehand, straight into the artifacts table in batches
    /// of `batchSize`: the ceiling any append path can reach on this server. For benchmarks.
    public func measureRawCopy(of artifacts: [Artifact], batchSize: Int) async throws -> Duration {
        try await self.ensurePartitions(.artifacts, for: Set(artifacts.map { UTCDay($0.timestamp) }))
        var payloads: [[UInt8]] = []
        for start in stride(from: 0, to: artifacts.count, by: batchSize) {
            payloads.append(
                PostgresArtifactStore.copyPayload(Array(artifacts[start..<min(start + batchSize, artifacts.count)]))
            )
        }
        let clock = ContinuousClock()
        let began = clock.now
        for payload in payloads {
            try await self.pool.withConnection { connection in
                try connection.copyIn(PostgresArtifactStore.copy(into: "artifacts"), payload: payload)
            }
        }
        return clock.now - began
    }

    /// Empties the artifacts table, every org. For benchmarks on a scratch database only.
    public func removeAllArtifacts() async throws {
        try await self.pool.withConnection { connection in
            try connection.execute("TRUNCATE artifacts")
            try connection.execute("VACUUM ANALYZE artifacts")  // not allowed inside one multi-statement call
        }
    }
}
