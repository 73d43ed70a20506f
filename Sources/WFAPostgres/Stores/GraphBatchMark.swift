import WFACore
import WFAStorage

/// One graph batch's mark in `graph_writers`, for a writer without a delta ledger: the writer's
/// row names the batch it last committed, so a COMMIT whose outcome the connection lost can be
/// asked about instead of applied again (see migration 8).
struct GraphBatchMark {
    var writer: String
    var batch = Identifier<GraphBatchMark>.random().rawValue

    /// Inside the batch's transaction, which then holds the row's lock until it ends.
    func write(using connection: LibPQConnection) throws {
        try connection.query(
            """
            INSERT INTO graph_writers (writer, batch, written_at) VALUES ($1, $2, now())
            ON CONFLICT (writer) DO UPDATE SET batch = EXCLUDED.batch, written_at = EXCLUDED.written_at
            """, [self.writer, self.batch])
    }

    /// Whether the batch committed, asked until the server answers. The upsert waits for the
    /// batch's transaction if the server is still finishing it, so a COMMIT in progress is not
    /// taken for a failed one; unlike a `SELECT … FOR SHARE` it also waits when that
    /// transaction inserted the row (a writer's first batch, or its first after a purge).
    func committed(in pool: ConnectionPool) async throws -> Bool {
        while true {
            do {
                let (writer, batch) = (self.writer, self.batch)
                return try await pool.withConnection { connection in
                    let rows = try connection.query(
                        """
                        INSERT INTO graph_writers (writer, batch, written_at) VALUES ($1, '', now())
                        ON CONFLICT (writer) DO UPDATE SET batch = graph_writers.batch
                        RETURNING batch
                        """, [writer]
                    ).rows
                    return rows.first?.first == batch
                }
            } catch let error as StorageError where error.code == .unavailable {
                try await Task.sleep(for: .seconds(1))
            }
        }
    }
}
