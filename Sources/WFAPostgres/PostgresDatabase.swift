public import Foundation
public import Logging
import Synchronization
import WFACore
public import WFAStorage

/// A PostgreSQL database holding every wfa store: the connection pool, the schema, and the
/// day partitions of artifacts and edges.
public final class PostgresDatabase: Sendable {
    public struct Configuration: Sendable {
        /// A libpq connection URL or key/value string (`postgres://user@host:port/db`).
        public var url: String
        /// Connections (and database threads) in the pool. Default 4.
        public var maximumConnections: Int
        /// How long a call keeps retrying, with backoff, while the server is unreachable. Default 10 s.
        public var retryTimeout: Duration
        /// Day partitions kept ready ahead of today. Default 3.
        public var partitionDaysAhead: Int
        /// How far back a batch may create a day partition on demand; older events go to the default
        /// partition (they are usually about to expire). Default 60 days.
        public var partitionDaysBack: Int
        /// The clock partition windows are measured from (tests inject one).
        public var now: @Sendable () -> Date

        public init(
            url: String, maximumConnections: Int = 4, retryTimeout: Duration = .seconds(10),
            partitionDaysAhead: Int = 3,
            partitionDaysBack: Int = 60, now: @escaping @Sendable () -> Date = { Date() }
        ) {
            self.url = url
            self.maximumConnections = maximumConnections
            self.retryTimeout = retryTimeout
            self.partitionDaysAhead = partitionDaysAhead
            self.partitionDaysBack = partitionDaysBack
            self.now = now
        }
    }

    let configuration: Configuration
    let pool: ConnectionPool
    let logger: Logger
    private let appliedAtOpen = Mutex<[Int]>([])

    /// The schema version this build of wfa knows.
    public static var latestSchemaVersion: Int { PostgresMigrations.latestVersion }

    /// Migrations that ``open(_:logger:)`` applied (empty when the schema was current).
    public var migrationsAppliedAtOpen: [Int] { self.appliedAtOpen.withLock { $0 } }

    /// Day partitions known to exist, by table: saves a round trip per batch.
    private let knownPartitions = Mutex<Set<String>>([])

    /// Edges known to be on the graph, so graph writes skip their identities.
    let knownEdges = KnownEdges()
    /// This instance's row in `graph_writers`.
    let graphWriter = "writer-" + Identifier<PostgresDatabase>.random().rawValue

    private init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.pool = ConnectionPool(
            configuration: .init(
                conninfo: configuration.url, maximumConnections: max(1, configuration.maximumConnections),
                retryTimeout: configuration.retryTimeout),
            logger: logger)
    }

    /// Connects, applies missing migrations, and makes today's and the coming days' partitions.
    /// - Throws: ``StorageError`` `storage.unavailable` when the server stays unreachable for
    ///   `retryTimeout`; `storage.schema` when the database is newer than this binary.
    public static func open(_ configuration: Configuration, logger: Logger) async throws -> PostgresDatabase {
        let database = PostgresDatabase(configuration: configuration, logger: logger)
        do {
            let applied = try await database.migrate()
            database.appliedAtOpen.withLock { $0 = applied }
            if !applied.isEmpty {
                logger.info("Applied database migrations", metadata: ["db.migrations": "\(applied)"])
            }
            try await database.preparePartitionsAhead()
        } catch {
            await database.close()
            throw error
        }
        return database
    }

    /// Closes every connection. Calls after this fail with `storage.unavailable`.
    public func close() async {
        await self.pool.close()
    }

    /// The stores of this database.
    public var storage: Storage {
        Storage(
            artifacts: PostgresArtifactStore(database: self),
            graph: PostgresGraphStore(database: self),
            incidents: PostgresIncidentStore(database: self),
            rules: PostgresRuleStore(database: self),
            reports: PostgresReportStore(database: self),
            directory: PostgresDirectoryStore(database: self),
            notifications: PostgresNotificationStore(database: self))
    }

    /// The schema version the database is at.
    public func schemaVersion() async throws -> Int {
        try await self.pool.withConnection { connection in
            try connection.execute(Self.createMigrationsTable)
            return try connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations").integer()
        }
    }

    private static let createMigrationsTable = """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
        """

    /// Applies the migrations the database lacks; returns their versions.
    @discardableResult
    public func migrate() async throws -> [Int] {
        try await self.pool.withConnection { connection in
            try connection.transaction {
                // Two processes may start at once: one migrates, the other waits and finds nothing to do.
                try connection.execute("SELECT pg_advisory_xact_lock(hashtext('wfa.migrations'))")
                try connection.execute(Self.createMigrationsTable)
                let current = try connection.query("SELECT coalesce(max(version), 0) FROM schema_migrations").integer()
                guard current <= PostgresMigrations.latestVersion else {
                    throw StorageError(
                        .schema,
                        "database schema v\(current) is newer than this wfa (v\(PostgresMigrations.latestVersion))")
                }
                var applied: [Int] = []
                for migration in PostgresMigrations.all where migration.version > current {
                    do {
                        try connection.execute(migration.sql)
                    } catch let error as StorageError {
                        throw StorageError(.schema, "migration \(migration.version) failed", underlying: error)
                    }
                    try connection.query(
                        "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)",
                        [String(migration.version), migration.name])
                    applied.append(migration.version)
                }
                return applied
            }
        }
    }
}

extension PostgresDatabase {
    /// The day tables that are range-partitioned.
    enum PartitionedTable: String, CaseIterable, Sendable {
        case artifacts
        case edgeDays = "edge_days"
    }

    /// Creates the partitions for today and `partitionDaysAhead` days after, for both tables.
    public func preparePartitionsAhead() async throws {
        let today = UTCDay(self.configuration.now())
        let days = (0...max(0, self.configuration.partitionDaysAhead)).map { today.adding($0) }
        for table in PartitionedTable.allCases {
            try await self.ensurePartitions(table, for: Set(days))
        }
    }

    /// Makes sure the partitions for `days` exist, skipping days outside the on-demand window
    /// (their rows go to the default partition).
    func ensurePartitions(_ table: PartitionedTable, for days: Set<UTCDay>) async throws {
        let today = UTCDay(self.configuration.now())
        let window =
            today.adding(
                -self.configuration.partitionDaysBack)...today.adding(self.configuration.partitionDaysAhead + 1)
        let missing = self.knownPartitions.withLock { known in
            days.filter { window.contains($0) && !known.contains(table.rawValue + $0.text) }
        }
        guard !missing.isEmpty else { return }
        let names = try await self.pool.withConnection { connection in
            var made: [String] = []
            for day in missing.sorted() {
                try connection.query("SELECT wfa_ensure_day_partition($1, $2::date)", [table.rawValue, day.text])
                made.append(table.rawValue + day.text)
            }
            return made
        }
        self.knownPartitions.withLock { $0.formUnion(names) }
    }

    /// The day partitions of `table` that exist, by day.
    func partitions(of table: PartitionedTable, using connection: LibPQConnection) throws -> [(
        day: UTCDay, name: String
    )] {
        let rows = try connection.query(
            """
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = $1::regclass
            """, [table.rawValue]
        ).rows
        let prefix = table.rawValue + "_p"
        return rows.compactMap { row in
            guard let name = row.first ?? nil, name.hasPrefix(prefix),
                let day = UTCDay(compact: String(name.dropFirst(prefix.count)))
            else { return nil }
            return (day, name)
        }
    }

    /// Forgets cached partitions of `table` (after they were dropped).
    func forgetPartitions(_ table: PartitionedTable) {
        self.knownPartitions.withLock { known in known = known.filter { !$0.hasPrefix(table.rawValue) } }
    }
}

extension PostgresDatabase {
    /// Removes rows of a day-partitioned table whose `timeColumn` is before `cutoff`: partitions whose
    /// whole day lies before the cutoff are dropped, the rest of the expired rows (the cutoff's own
    /// day and the default partition) are deleted. Callers run it inside a transaction, so a failure
    /// removes nothing.
    /// - Returns: how many rows went (or would go, with `dryRun`).
    func purgeDayPartitioned(
        _ table: PartitionedTable, before cutoff: Date, timeColumn: String, dryRun: Bool,
        using connection: LibPQConnection
    ) throws -> Int {
        let cutoffText = TimestampFormat.string(from: cutoff)
        let expired = try connection.query(
            "SELECT count(*) FROM \(table.rawValue) WHERE \(timeColumn) < $1::timestamptz", [cutoffText]
        ).integer()
        guard !dryRun else { return expired }
        for partition in try self.partitions(of: table, using: connection) where partition.day.adding(1).start <= cutoff
        {
            try connection.execute("DROP TABLE \(partition.name)")
        }
        try connection.query("DELETE FROM \(table.rawValue) WHERE \(timeColumn) < $1::timestamptz", [cutoffText])
        return expired
    }
}
