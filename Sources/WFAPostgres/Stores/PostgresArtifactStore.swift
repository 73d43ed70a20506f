import Foundation
import WFACore
import WFAStorage

/// ``ArtifactStore`` on PostgreSQL: day-partitioned `artifacts`, bulk appends with COPY.
struct PostgresArtifactStore: ArtifactStore {
    let database: PostgresDatabase

    static let columns =
        "id, ts, org_id, received_at, source, stream_name, message_type, severity_code, entities, doc, raw"

    /// The COPY that reads ``copyPayload(_:)`` into `table`.
    static func copy(into table: String) -> String {
        "COPY \(table) (\(Self.columns)) FROM STDIN (FORMAT binary)"
    }

    func append(_ artifacts: [Artifact]) async throws {
        guard !artifacts.isEmpty else { return }
        try await self.database.ensurePartitions(.artifacts, for: Set(artifacts.map { UTCDay($0.timestamp) }))
        let payload = Self.copyPayload(artifacts)
        try await self.database.pool.withConnection { connection in
            do {
                // Fast path: fresh rows go straight in. COPY is one statement, so it is all or nothing.
                try connection.copyIn(Self.copy(into: "artifacts"), payload: payload)
            } catch let error as StorageError where error.code == .conflict {
                // A redelivered batch (or an id repeated inside one): stage, then insert what is new.
                try connection.transaction {
                    try connection.execute(
                        """
                        CREATE TEMP TABLE IF NOT EXISTS artifacts_staging
                            (LIKE artifacts INCLUDING DEFAULTS) ON COMMIT DELETE ROWS
                        """)
                    try connection.copyIn(Self.copy(into: "artifacts_staging"), payload: payload)
                    try connection.query(
                        """
                        INSERT INTO artifacts (\(Self.columns))
                        SELECT DISTINCT ON (id, ts) \(Self.columns) FROM artifacts_staging
                        ON CONFLICT DO NOTHING
                        """)
                }
            }
        }
    }

    /// The COPY rows for `artifacts`, in binary format. The document holds every field but `raw`,
    /// which goes to its own `bytea` column so it is stored once and byte-exact.
    static func copyPayload(_ artifacts: [Artifact]) -> [UInt8] {
        var writer = CopyBinaryWriter(reservingCapacity: artifacts.count * 1_024)
        for artifact in artifacts {
            writer.startRow(fields: 11)
            writer.appendText(artifact.id.rawValue)
            writer.appendTimestamp(artifact.timestamp)
            writer.appendText(artifact.orgID.rawValue)
            writer.appendTimestamp(artifact.receivedAt)
            writer.appendText(artifact.source)
            writer.appendText(artifact.streamName)
            writer.appendText(artifact.messageType.rawValue)
            writer.appendInt16(Int16(clamping: artifact.severityCode.rawValue))
            writer.appendTextArray(artifact.entityKeys.map(\.description))
            writer.appendText(utf8: WireFormat.encode(artifact, includingRaw: false))
            writer.appendBytea(artifact.raw)
        }
        return writer.finished()
    }

    func artifact(_ id: Artifact.ID, in org: Org.ID) async throws -> Artifact? {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                "SELECT doc, raw FROM artifacts WHERE id = $1 AND org_id = $2 LIMIT 1", [id.rawValue, org.rawValue]
            ).rows.first.map(Self.decode)
        }
    }

    func search(_ query: ArtifactQuery, in org: Org.ID) async throws -> Page<Artifact> {
        let page = try query.page.validated()
        let range = try query.timeRange.validated()
        var filter = SQLFilter(org: org)
        filter.add("ts >= $?::timestamptz", TimestampFormat.string(from: range.start))
        filter.add("ts < $?::timestamptz", TimestampFormat.string(from: range.end))
        if let source = query.source { filter.add("source = $?", source) }
        if let stream = query.streamName { filter.add("stream_name = $?", stream) }
        if let type = query.messageType { filter.add("message_type = $?", type.rawValue) }
        if let entity = query.entity { filter.add("entities @> ARRAY[$?]::text[]", entity.description) }
        if let text = query.text, !text.isEmpty {
            // Matched against bytea's escape encoding, so invalid UTF-8 in `raw` cannot break the query;
            // the needle gets the same encoding, and LIKE's own wildcards are escaped.
            filter.add(
                "encode(raw, 'escape') ILIKE $? ESCAPE '!'", "%" + SQLFilter.likeEscaped(Self.byteaEscaped(text)) + "%")
        }
        let direction = query.order == .newestFirst ? "DESC" : "ASC"
        let (whereClause, parameters) = filter.build()
        return try await self.database.pool.withConnection { connection in
            // Uncounted, one row past the page says whether more follow.
            let fetched = query.countsTotal ? page.limit : page.limit + 1
            var rows = try connection.query(
                """
                SELECT doc, raw FROM artifacts WHERE \(whereClause)
                ORDER BY ts \(direction), id \(direction) LIMIT \(fetched) OFFSET \(page.offset)
                """, parameters
            ).rows
            let more = rows.count > page.limit
            if more { rows.removeLast() }
            let total =
                query.countsTotal
                ? try connection.query("SELECT count(*) FROM artifacts WHERE \(whereClause)", parameters).integer()
                : page.offset + rows.count + (more ? 1 : 0)
            return Page(items: try rows.map(Self.decode), total: total, limit: page.limit, offset: page.offset)
        }
    }

    func counts(_ buckets: TimeBuckets, in org: Org.ID) async throws -> [ArtifactCount] {
        let start = EpochMicroseconds.from(buckets.range.start)
        let width = buckets.seconds * 1_000_000
        // Whole microseconds, as TimeBuckets reckons them (extract gives an exact numeric).
        let rows = try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT ((extract(epoch FROM ts) * 1000000)::bigint - $2::bigint) / $4::bigint AS bucket,
                       count(*), count(*) FILTER (WHERE message_type = 'unknown')
                FROM artifacts WHERE org_id = $1 AND ts >= $3::timestamptz AND ts < $5::timestamptz
                GROUP BY bucket ORDER BY bucket
                """,
                [
                    org.rawValue, String(start), TimestampFormat.string(from: buckets.range.start), String(width),
                    TimestampFormat.string(from: buckets.range.end),
                ]
            ).rows
        }
        return try rows.map { row in
            guard row.count == 3, let index = row[0].flatMap({ Int64($0) }), let total = row[1].flatMap({ Int($0) }),
                let unknown = row[2].flatMap({ Int($0) })
            else { throw StorageError(.invalidData, "unreadable artifact count") }
            return ArtifactCount(start: buckets.start(ofBucket: index), total: total, unknown: unknown)
        }
    }

    /// `text` as `encode(bytea, 'escape')` renders its UTF-8 bytes: backslashes doubled, NUL and
    /// bytes with the high bit set as `\ooo`, everything else as is.
    static func byteaEscaped(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case 0x5c: result += "\\\\"
            case 0x00, 0x80...0xff: result += "\\" + String(byte, radix: 8).leftPadded(to: 3)
            default: result.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return result
    }

    static func decode(_ row: [String?]) throws -> Artifact {
        guard row.count == 2, let document = row[0], let rawHex = row[1] else {
            throw StorageError(.invalidData, "artifact row is incomplete")
        }
        do {
            var artifact = try WireFormat.makeDecoder().decode(Artifact.self, from: Data(document.utf8))
            artifact.raw = try ByteaHex.decode(rawHex)
            return artifact
        } catch let error as StorageError {
            throw error
        } catch {
            throw StorageError(.invalidData, "stored artifact cannot be decoded", underlying: error)
        }
    }

    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let removed = try await self.database.pool.withConnection { [database] connection in
            try connection.transaction {
                try database.purgeDayPartitioned(
                    .artifacts, before: cutoff, timeColumn: "ts", dryRun: dryRun, using: connection)
            }
        }
        if !dryRun { self.database.forgetPartitions(.artifacts) }
        return removed
    }
}

extension String {
    fileprivate func leftPadded(to width: Int) -> String {
        self.count >= width ? self : String(repeating: "0", count: width - self.count) + self
    }
}
