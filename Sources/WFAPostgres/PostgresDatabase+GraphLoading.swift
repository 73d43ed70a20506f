public import WFACore

extension PostgresDatabase {
    /// Copies edges straight into the graph tables, bypassing the delta ledger: how a benchmark
    /// builds a graph of millions of edges in minutes rather than hours. For scratch databases only.
    ///
    /// Each element is one day of one edge (its counts for that day, `firstSeen` and `lastSeen`
    /// within it). Every day of an edge must come in the same call, and no edge in two calls: the
    /// edge's identity row is written once per call. Node totals are not touched; write them with
    /// ``bulkLoad(nodes:)``.
    public func bulkLoad(edgeDays: [Edge]) async throws {
        guard !edgeDays.isEmpty else { return }
        try await self.ensurePartitions(.edgeDays, for: Set(edgeDays.map { UTCDay($0.lastSeen) }))
        // Each edge's day range, over its days in this call.
        var ranges: [Edge.ID: (edge: Edge, days: ClosedRange<UTCDay>)] = [:]
        for edge in edgeDays {
            let day = UTCDay(edge.lastSeen)
            ranges[edge.id] = (edge, ranges[edge.id]?.days.including(day) ?? day...day)
        }
        // In key order, so each COPY fills the primary key's pages one after another.
        var identities = CopyTextWriter(reservingCapacity: ranges.count * 100)
        for (edge, range) in ranges.values.sorted(by: { $0.edge.id < $1.edge.id }) {
            identities.appendText(edge.orgID.rawValue)
            identities.appendText(edge.id.rawValue)
            identities.appendText(edge.sourceID.rawValue)
            identities.appendText(edge.targetID.rawValue)
            identities.appendText(range.lowerBound.text)
            identities.appendText(range.upperBound.text)
            identities.endRow()
        }
        var days = CopyTextWriter(reservingCapacity: edgeDays.count * 160)
        for edge in edgeDays.sorted(by: { ($0.id, $0.lastSeen) < ($1.id, $1.lastSeen) }) {
            days.appendText(edge.orgID.rawValue)
            days.appendText(edge.id.rawValue)
            days.appendText(UTCDay(edge.lastSeen).text)
            days.appendText(edge.sourceID.rawValue)
            days.appendText(edge.targetID.rawValue)
            days.appendText(edge.type.rawValue)
            days.appendText(TimestampFormat.string(from: edge.firstSeen))
            days.appendText(TimestampFormat.string(from: edge.lastSeen))
            days.appendInteger(edge.artifactCount)
            days.appendInteger(edge.bytes)
            days.endRow()
        }
        try await self.pool.withConnection { [identities, days] connection in
            try connection.transaction {
                _ = try connection.copyIn(
                    "COPY edges (org_id, id, source_id, target_id, first_day, last_day) FROM STDIN",
                    payload: identities.bytes)
                _ = try connection.copyIn(
                    """
                    COPY edge_days (org_id, edge_id, day, source_id, target_id, type, first_seen, last_seen,
                                    artifact_count, bytes) FROM STDIN
                    """, payload: days.bytes)
            }
        }
    }

    /// Copies whole nodes, totals included, into the graph tables. For scratch databases only; see
    /// ``bulkLoad(edgeDays:)``.
    public func bulkLoad(nodes: [Node]) async throws {
        guard !nodes.isEmpty else { return }
        var rows = CopyTextWriter(reservingCapacity: nodes.count * 120)
        for node in nodes {
            rows.appendText(node.orgID.rawValue)
            rows.appendText(node.id.rawValue)
            rows.appendText(node.type.rawValue)
            rows.appendText(node.value)
            for flag in [node.flags.managed, node.flags.internal, node.flags.trusted, node.flags.infrastructure] {
                rows.appendText(flag ? "t" : "f")
            }
            rows.appendText(TimestampFormat.string(from: node.firstSeen))
            rows.appendText(TimestampFormat.string(from: node.lastSeen))
            rows.appendInteger(node.artifactCount)
            rows.appendInteger(node.edgeCount)
            rows.endRow()
        }
        try await self.pool.withConnection { [rows] connection in
            _ = try connection.copyIn(
                """
                COPY nodes (org_id, id, type, value, managed, internal, trusted, infrastructure, first_seen,
                            last_seen, artifact_count, edge_count) FROM STDIN
                """, payload: rows.bytes)
        }
    }

    /// Refreshes the planner's statistics and the visibility map of the graph tables after a bulk
    /// load, as autovacuum would eventually.
    public func analyzeGraph() async throws {
        try await self.pool.withConnection { connection in
            // VACUUM may not run inside a multi-statement call.
            for table in ["nodes", "edges", "edge_days"] { try connection.execute("VACUUM ANALYZE \(table)") }
        }
    }
}
