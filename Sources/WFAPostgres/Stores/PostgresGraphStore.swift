import Foundation
import WFACore
import WFAStorage

/// ``GraphStore`` on PostgreSQL: `nodes`, `edges` (identity), day-partitioned `edge_days`
/// (counts per day), and the `graph_deltas` ledger that makes applying a delta idempotent.
struct PostgresGraphStore: GraphStore {
    let database: PostgresDatabase

    private struct NodeTotal {
        var observation: NodeObservation
        var firstSeen: Date
        var lastSeen: Date
        var count: Int64

        mutating func add(_ seenAt: Date, count: Int64) {
            self.firstSeen = min(self.firstSeen, seenAt)
            self.lastSeen = max(self.lastSeen, seenAt)
            self.count += count
        }
    }

    private struct EdgeDayKey: Hashable, Comparable {
        var id: Edge.ID
        var day: UTCDay
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.id, lhs.day) < (rhs.id, rhs.day) }
    }

    private struct EdgeDayTotal {
        var observation: EdgeObservation
        var firstSeen: Date
        var lastSeen: Date
        var count: Int64
        var bytes: Int64

        mutating func add(_ seenAt: Date, count: Int64, bytes: Int64) {
            self.firstSeen = min(self.firstSeen, seenAt)
            self.lastSeen = max(self.lastSeen, seenAt)
            self.count += count
            self.bytes += bytes
        }
    }

    func apply(_ deltas: [GraphDelta], deduplication: DeltaDeduplication) async throws {
        // A delta that names nothing (an artifact without entities) changes nothing, applied once
        // or again: it needs no ledger row.
        let deltas = deltas.filter { !$0.nodes.isEmpty || !$0.edges.isEmpty }
        guard !deltas.isEmpty else { return }
        let days = Set(deltas.flatMap { $0.edges.map { UTCDay($0.seenAt) } })
        try await self.database.ensurePartitions(.edgeDays, for: days)
        let known = self.database.knownEdges
        // Without the ledger, a lost COMMIT is settled by the batch's mark in `graph_writers`.
        let mark = deduplication == .caller ? GraphBatchMark(writer: self.database.graphWriter) : nil
        let (generation, written): (Int64, [(Org.ID, [Edge.ID: ClosedRange<UTCDay>])])
        do {
            (generation, written) = try await self.database.pool.withConnection { connection in
                // Not a StorageError, so the pool does not run the batch again on a new connection.
                try connection.transaction(commitLost: { CommitLost(underlying: $0) }) {
                    // Shared with other writers; the purge takes it exclusively (see KnownEdges).
                    let generation = Int64(
                        try connection.query("SELECT generation FROM graph_epoch FOR SHARE").integer())
                    let fresh: [GraphDelta]
                    if let mark {
                        try mark.write(using: connection)
                        fresh = deltas
                    } else {
                        fresh = try Self.claimUnapplied(deltas, using: connection)
                    }
                    let byOrg = Dictionary(grouping: fresh, by: \.orgID).sorted { $0.key < $1.key }
                    let written = try byOrg.map { org, orgDeltas in
                        (
                            org,
                            try Self.apply(orgDeltas, in: org, known: known, generation: generation, using: connection)
                        )
                    }
                    return (generation, written)
                }
            }
        } catch let lost as CommitLost {
            // Through the ledger, applying the batch again is harmless; without it, ask.
            guard let mark, try await mark.committed(in: self.database.pool) else { throw lost.underlying }
            return  // Applied. Its edges are not cached, which costs a rewrite of their identity at most.
        }
        for (org, edges) in written { known.remember(edges, in: org, generation: generation) }
    }

    /// A COMMIT whose outcome the connection did not report.
    private struct CommitLost: Error {
        var underlying: StorageError
    }

    private struct LedgerKey: Hashable, Comparable {
        var org: String
        var id: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.org, lhs.id) < (rhs.org, rhs.id) }
    }

    /// Writes a ledger row for each delta and returns those no earlier batch applied, each once.
    private static func claimUnapplied(_ deltas: [GraphDelta], using connection: LibPQConnection) throws
        -> [GraphDelta]
    {
        // Each delta once, with the latest time it saw anything (the ledger prunes by it).
        var keys: Set<LedgerKey> = []
        keys.reserveCapacity(deltas.count)
        var unique: [GraphDelta] = []
        var ledger: [(key: LedgerKey, value: Date)] = []
        unique.reserveCapacity(deltas.count)
        ledger.reserveCapacity(deltas.count)
        for delta in deltas {
            let key = LedgerKey(org: delta.orgID.rawValue, id: delta.id)
            guard keys.insert(key).inserted else { continue }
            unique.append(delta)
            ledger.append(
                (
                    key,
                    max(
                        delta.nodes.lazy.map(\.seenAt).max() ?? .distantPast,
                        delta.edges.lazy.map(\.seenAt).max() ?? .distantPast)
                ))
        }
        // Sorted, so concurrent writers of the same deltas lock them in the same order. Delta ids
        // are artifact ids, which grow with time, so a batch arrives nearly sorted already and
        // the (run-detecting) sort costs little.
        ledger.sort { $0.key < $1.key }
        let insert = """
            INSERT INTO graph_deltas (org_id, id, seen_at)
            SELECT d.org_id, d.id, \(PostgresArray.instant("d.seen"))
            FROM unnest($1::text[], $2::text[], $3::bigint[]) AS d(org_id, id, seen)
            """
        let parameters = [
            PostgresArray.binary(ledger.lazy.map(\.key.org)), PostgresArray.binary(ledger.lazy.map(\.key.id)),
            PostgresArray.epochMicroseconds(ledger.lazy.map(\.value)),
        ]
        // Nearly every batch is new, and a plain insert costs half of ON CONFLICT … RETURNING. A
        // delta already in the ledger (a redelivery; or another writer's, once it commits) fails
        // the whole statement; the savepoint keeps the transaction, which then sorts new from old.
        try connection.execute("SAVEPOINT ledger")
        do {
            try connection.query(insert, parameters)
            try connection.execute("RELEASE SAVEPOINT ledger")
            return unique
        } catch let error as StorageError where error.code == .conflict {
            try connection.execute("ROLLBACK TO SAVEPOINT ledger")
        }
        let fresh = Set(
            try connection.query(insert + " ON CONFLICT DO NOTHING RETURNING org_id, id", parameters).rows.compactMap {
                row -> LedgerKey? in
                guard row.count == 2, let org = row[0], let id = row[1] else { return nil }
                return LedgerKey(org: org, id: id)
            })
        return unique.filter { fresh.contains(LedgerKey(org: $0.orgID.rawValue, id: $0.id)) }
    }

    /// Applies the deltas of one org, each new to the ledger; returns the edges written, with
    /// their days, for ``KnownEdges`` once the transaction commits.
    private static func apply(
        _ applied: [GraphDelta], in org: Org.ID, known: KnownEdges, generation: Int64, using connection: LibPQConnection
    ) throws -> [Edge.ID: ClosedRange<UTCDay>] {

        // Totals are updated in place: a batch folds thousands of observations. Sized for a batch
        // that folds nothing, so neither table rehashes as it fills.
        var nodes: [Node.ID: NodeTotal] = [:]
        var edges: [EdgeDayKey: EdgeDayTotal] = [:]
        nodes.reserveCapacity(applied.reduce(0) { $0 + $1.nodes.count })
        edges.reserveCapacity(applied.reduce(0) { $0 + $1.edges.count })
        for delta in applied {
            for node in delta.nodes {
                if let index = nodes.index(forKey: node.id) {
                    nodes.values[index].add(node.seenAt, count: node.artifactCount)
                } else {
                    nodes[node.id] = NodeTotal(
                        observation: node, firstSeen: node.seenAt, lastSeen: node.seenAt, count: node.artifactCount)
                }
            }
            for edge in delta.edges {
                let key = EdgeDayKey(id: edge.id, day: UTCDay(edge.seenAt))
                if let index = edges.index(forKey: key) {
                    edges.values[index].add(edge.seenAt, count: edge.artifactCount, bytes: edge.bytes)
                } else {
                    edges[key] = EdgeDayTotal(
                        observation: edge, firstSeen: edge.seenAt, lastSeen: edge.seenAt, count: edge.artifactCount,
                        bytes: edge.bytes)
                }
            }
        }
        try Self.upsert(nodes, in: org, using: connection)
        return try Self.upsert(edges, in: org, known: known, generation: generation, using: connection)
    }

    private static func upsert(_ nodes: [Node.ID: NodeTotal], in org: Org.ID, using connection: LibPQConnection) throws
    {
        guard !nodes.isEmpty else { return }
        let rows = LockOrder.entries(of: nodes) { $0.rawValue }.map(\.value)
        try connection.query(
            """
            INSERT INTO nodes (org_id, id, type, value, managed, internal, trusted, infrastructure,
                               first_seen, last_seen, artifact_count)
            SELECT $1, n.id, n.type, n.value, n.managed, n.internal, n.trusted, n.infrastructure,
                   \(PostgresArray.instant("n.first_seen")), \(PostgresArray.instant("n.last_seen")), n.artifact_count
            FROM unnest($2::text[], $3::text[], $4::text[], $5::bool[], $6::bool[], $7::bool[], $8::bool[],
                        $9::bigint[], $10::bigint[], $11::bigint[])
                AS n(id, type, value, managed, internal, trusted, infrastructure, first_seen, last_seen, artifact_count)
            ON CONFLICT (org_id, id) DO UPDATE SET
                first_seen = LEAST(nodes.first_seen, EXCLUDED.first_seen),
                last_seen = GREATEST(nodes.last_seen, EXCLUDED.last_seen),
                artifact_count = nodes.artifact_count + EXCLUDED.artifact_count
            """,
            [
                .text(org.rawValue),
                PostgresArray.binary(rows.lazy.map(\.observation.id.rawValue)),
                PostgresArray.binary(rows.lazy.map(\.observation.type.rawValue)),
                PostgresArray.binary(rows.lazy.map(\.observation.value)),
                PostgresArray.binary(rows.lazy.map(\.observation.initialFlags.managed)),
                PostgresArray.binary(rows.lazy.map(\.observation.initialFlags.internal)),
                PostgresArray.binary(rows.lazy.map(\.observation.initialFlags.trusted)),
                PostgresArray.binary(rows.lazy.map(\.observation.initialFlags.infrastructure)),
                PostgresArray.epochMicroseconds(rows.lazy.map(\.firstSeen)),
                PostgresArray.epochMicroseconds(rows.lazy.map(\.lastSeen)),
                PostgresArray.binary(rows.lazy.map(\.count)),
            ])
    }

    private static func upsert(
        _ edges: [EdgeDayKey: EdgeDayTotal], in org: Org.ID, known: KnownEdges, generation: Int64,
        using connection: LibPQConnection
    ) throws -> [Edge.ID: ClosedRange<UTCDay>] {
        guard !edges.isEmpty else { return [:] }
        // Each identity with the first and last day this batch saw it on.
        var identities: [Edge.ID: (observation: EdgeObservation, days: ClosedRange<UTCDay>)] = [:]
        identities.reserveCapacity(edges.count)
        for (key, total) in edges {
            identities[key.id] = (total.observation, identities[key.id]?.days.including(key.day) ?? key.day...key.day)
        }
        let days = identities.mapValues(\.days)
        let covered = known.covered(days, in: org, generation: generation)
        let created = try Self.writeIdentities(
            LockOrder.entries(of: identities.filter { !covered.contains($0.key) }) { $0.rawValue }.map(\.value),
            in: org,
            using: connection)
        let rows = LockOrder.entries(of: edges) { $0.id.rawValue }
        try connection.query(
            """
            INSERT INTO edge_days (org_id, edge_id, day, source_id, target_id, type, first_seen, last_seen,
                                   artifact_count, bytes)
            SELECT $1, e.edge_id, \(PostgresArray.day("e.day")), e.source_id, e.target_id, e.type,
                   \(PostgresArray.instant("e.first_seen")), \(PostgresArray.instant("e.last_seen")), e.artifact_count,
                   e.bytes
            FROM unnest($2::text[], $3::int[], $4::text[], $5::text[], $6::text[], $7::bigint[], $8::bigint[],
                        $9::bigint[], $10::bigint[])
                AS e(edge_id, day, source_id, target_id, type, first_seen, last_seen, artifact_count, bytes)
            ON CONFLICT (org_id, edge_id, day) DO UPDATE SET
                first_seen = LEAST(edge_days.first_seen, EXCLUDED.first_seen),
                last_seen = GREATEST(edge_days.last_seen, EXCLUDED.last_seen),
                artifact_count = edge_days.artifact_count + EXCLUDED.artifact_count,
                bytes = edge_days.bytes + EXCLUDED.bytes
            """,
            [
                .text(org.rawValue),
                PostgresArray.binary(rows.lazy.map(\.key.id.rawValue)),
                PostgresArray.dayIndexes(rows.lazy.map(\.key.day)),
                PostgresArray.binary(rows.lazy.map(\.value.observation.sourceID.rawValue)),
                PostgresArray.binary(rows.lazy.map(\.value.observation.targetID.rawValue)),
                PostgresArray.binary(rows.lazy.map(\.value.observation.type.rawValue)),
                PostgresArray.epochMicroseconds(rows.lazy.map(\.value.firstSeen)),
                PostgresArray.epochMicroseconds(rows.lazy.map(\.value.lastSeen)),
                PostgresArray.binary(rows.lazy.map(\.value.count)),
                PostgresArray.binary(rows.lazy.map(\.value.bytes)),
            ])
        try Self.countEdges(created, in: org, using: connection)
        return days
    }

    /// Writes the identities of edges (in lock order) not known to cover their days: inserts the new
    /// ones, widens the day range of the others where a day falls outside it. Returns the created
    /// edges' endpoints.
    private static func writeIdentities(
        _ identities: [(observation: EdgeObservation, days: ClosedRange<UTCDay>)], in org: Org.ID,
        using connection: LibPQConnection
    ) throws -> [(source: String, target: String)] {
        guard !identities.isEmpty else { return [] }
        var created: [(source: String, target: String)] = []
        var createdIDs: Set<String> = []
        for row in try connection.query(
            """
            INSERT INTO edges (org_id, id, source_id, target_id, first_day, last_day)
            SELECT $1, e.id, e.source_id, e.target_id, \(PostgresArray.day("e.first_day")),
                   \(PostgresArray.day("e.last_day"))
            FROM unnest($2::text[], $3::text[], $4::text[], $5::int[], $6::int[])
                AS e(id, source_id, target_id, first_day, last_day)
            ON CONFLICT DO NOTHING RETURNING id, source_id, target_id
            """,
            [
                .text(org.rawValue), PostgresArray.binary(identities.lazy.map(\.observation.id.rawValue)),
                PostgresArray.binary(identities.lazy.map(\.observation.sourceID.rawValue)),
                PostgresArray.binary(identities.lazy.map(\.observation.targetID.rawValue)),
                PostgresArray.dayIndexes(identities.lazy.map(\.days.lowerBound)),
                PostgresArray.dayIndexes(identities.lazy.map(\.days.upperBound)),
            ]
        ).rows {
            guard row.count == 3, let id = row[0], let source = row[1], let target = row[2] else { continue }
            created.append((source, target))
            createdIDs.insert(id)
        }
        let existing = identities.filter { !createdIDs.contains($0.observation.id.rawValue) }
        guard !existing.isEmpty else { return created }
        try connection.query(
            """
            UPDATE edges SET first_day = LEAST(edges.first_day, u.first_day),
                             last_day = GREATEST(edges.last_day, u.last_day)
            FROM (SELECT id, \(PostgresArray.day("f")) AS first_day, \(PostgresArray.day("l")) AS last_day
                  FROM unnest($2::text[], $3::int[], $4::int[]) AS a(id, f, l)) AS u
            WHERE edges.org_id = $1 AND edges.id = u.id
              AND (u.first_day < edges.first_day OR u.last_day > edges.last_day)
            """,
            [
                .text(org.rawValue), PostgresArray.binary(existing.lazy.map(\.observation.id.rawValue)),
                PostgresArray.dayIndexes(existing.lazy.map(\.days.lowerBound)),
                PostgresArray.dayIndexes(existing.lazy.map(\.days.upperBound)),
            ])
        return created
    }

    /// Each edge new to the graph adds one to the edge count of each of its (distinct) endpoints.
    private static func countEdges(
        _ created: [(source: String, target: String)], in org: Org.ID, using connection: LibPQConnection
    ) throws {
        var increments: [String: Int64] = [:]
        for edge in created {
            increments[edge.source, default: 0] += 1
            if edge.target != edge.source { increments[edge.target, default: 0] += 1 }
        }
        guard !increments.isEmpty else { return }
        let sorted = LockOrder.entries(of: increments) { $0 }
        try connection.query(
            """
            UPDATE nodes SET edge_count = nodes.edge_count + u.n
            FROM unnest($2::text[], $3::bigint[]) AS u(id, n)
            WHERE nodes.org_id = $1 AND nodes.id = u.id
            """,
            [.text(org.rawValue), PostgresArray.binary(sorted.map(\.key)), PostgresArray.binary(sorted.map(\.value))])
    }

    private static let nodeColumns = """
        id, type, value, managed, internal, trusted, infrastructure, frameworks,
        (extract(epoch FROM first_seen) * 1000000)::int8, (extract(epoch FROM last_seen) * 1000000)::int8,
        artifact_count, edge_count
        """

    private static func decodeNode(_ row: [String?], org: Org.ID) throws -> Node {
        guard row.count == 12, let id = row[0], let type = row[1], let value = row[2], let frameworks = row[7],
            let first = row[8].flatMap({ Int64($0) }), let last = row[9].flatMap({ Int64($0) }),
            let artifactCount = row[10].flatMap({ Int64($0) }), let edgeCount = row[11].flatMap({ Int64($0) })
        else { throw StorageError(.invalidData, "node row is incomplete") }
        return Node(
            id: Node.ID(id), orgID: org, type: NodeType(rawValue: type), value: value,
            flags: NodeFlags(
                managed: row[3] == "t", internal: row[4] == "t", trusted: row[5] == "t", infrastructure: row[6] == "t"),
            // Most nodes are in no framework's scope: no decoder for those.
            frameworks: frameworks == "[]"
                ? [] : (try? JSONDecoder().decode([String].self, from: Data(frameworks.utf8))) ?? [],
            firstSeen: EpochMicroseconds.date(first), lastSeen: EpochMicroseconds.date(last),
            artifactCount: artifactCount, edgeCount: edgeCount)
    }

    func node(_ id: Node.ID, in org: Org.ID) async throws -> Node? {
        try await self.nodes([id], in: org).first
    }

    func nodes(_ ids: [Node.ID], in org: Org.ID) async throws -> [Node] {
        guard !ids.isEmpty else { return [] }
        return try await self.database.pool.withConnection { connection in
            try connection.query(
                "SELECT \(Self.nodeColumns) FROM nodes WHERE org_id = $1 AND id = ANY($2::text[])",
                [.text(org.rawValue), PostgresArray.binary(Set(ids).map(\.rawValue))]
            ).rows.map { try Self.decodeNode($0, org: org) }
        }
    }

    func searchNodes(_ query: NodeQuery, in org: Org.ID) async throws -> Page<Node> {
        let page = try query.page.validated()
        var filter = SQLFilter(org: org)
        if let type = query.type { filter.add("type = $?", type.rawValue) }
        if let prefix = query.valuePrefix, !prefix.isEmpty {
            filter.add("value LIKE $? ESCAPE '!'", SQLFilter.likeEscaped(prefix) + "%")
        }
        for (flag, required) in [
            ("managed", query.requiredFlags.managed), ("internal", query.requiredFlags.internal),
            ("trusted", query.requiredFlags.trusted), ("infrastructure", query.requiredFlags.infrastructure),
        ] where required {
            filter.add("\(flag)")
        }
        let (whereClause, parameters) = filter.build()
        return try await self.database.pool.withConnection { connection in
            let total = try connection.query("SELECT count(*) FROM nodes WHERE \(whereClause)", parameters).integer()
            let rows = try connection.query(
                """
                SELECT \(Self.nodeColumns) FROM nodes WHERE \(whereClause)
                ORDER BY type, value LIMIT \(page.limit) OFFSET \(page.offset)
                """, parameters
            ).rows
            return Page(
                items: try rows.map { try Self.decodeNode($0, org: org) }, total: total, limit: page.limit,
                offset: page.offset)
        }
    }

    func setFlags(_ flags: NodeFlags, of id: Node.ID, in org: Org.ID) async throws -> Node? {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                UPDATE nodes SET managed = $3, internal = $4, trusted = $5, infrastructure = $6
                WHERE org_id = $1 AND id = $2 RETURNING \(Self.nodeColumns)
                """,
                [
                    org.rawValue, id.rawValue, flags.managed ? "t" : "f", flags.internal ? "t" : "f",
                    flags.trusted ? "t" : "f", flags.infrastructure ? "t" : "f",
                ]
            ).rows.first.map { try Self.decodeNode($0, org: org) }
        }
    }

    /// Joined to rows `e` of `edges`: the edge's days summed. Bounded by the edge's own first and
    /// last day, so PostgreSQL probes only those days' partitions (pruned while it runs).
    private static let summedDays = """
        CROSS JOIN LATERAL (
            SELECT min(type) AS type, min(first_seen) AS first_seen, max(last_seen) AS last_seen,
                   sum(artifact_count) AS artifact_count, sum(bytes) AS bytes
            FROM edge_days AS d
            WHERE d.org_id = e.org_id AND d.edge_id = e.id AND d.day >= e.first_day AND d.day <= e.last_day
            HAVING count(*) > 0
        ) AS a
        """

    /// The columns ``decodeEdge(_:org:)`` reads, from rows `e` of `edges` joined with ``summedDays``.
    private static let edgeColumns = """
        e.id, e.source_id, e.target_id, a.type, (extract(epoch FROM a.first_seen) * 1000000)::int8,
        (extract(epoch FROM a.last_seen) * 1000000)::int8, a.artifact_count, a.bytes
        """

    private static func decodeEdge(_ row: [String?], org: Org.ID) throws -> Edge {
        guard row.count == 8, let id = row[0], let source = row[1], let target = row[2], let type = row[3],
            let first = row[4].flatMap({ Int64($0) }), let last = row[5].flatMap({ Int64($0) }),
            let count = row[6].flatMap({ Int64($0) }), let bytes = row[7].flatMap({ Int64($0) })
        else { throw StorageError(.invalidData, "edge row is incomplete") }
        return Edge(
            id: Edge.ID(id), orgID: org, sourceID: Node.ID(source), targetID: Node.ID(target),
            type: EdgeType(rawValue: type), firstSeen: EpochMicroseconds.date(first),
            lastSeen: EpochMicroseconds.date(last),
            artifactCount: count, bytes: bytes)
    }

    func edge(_ id: Edge.ID, in org: Org.ID) async throws -> Edge? {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                "SELECT \(Self.edgeColumns) FROM edges e \(Self.summedDays) WHERE e.org_id = $1 AND e.id = $2",
                [org.rawValue, id.rawValue]
            ).rows.first.map { try Self.decodeEdge($0, org: org) }
        }
    }

    func topTalkers(_ range: TimeRange, limit: Int, in org: Org.ID) async throws -> [Talker] {
        let range = try range.validated()
        let rows = try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                SELECT source_id, sum(bytes), sum(artifact_count) FROM edge_days
                WHERE org_id = $1 AND type = $2 AND day >= $3::date AND day <= $4::date
                GROUP BY source_id ORDER BY 2 DESC, 3 DESC, source_id LIMIT \(max(limit, 0))
                """,
                [org.rawValue, EdgeType.communicatesWith.rawValue, UTCDay(range.start).text, UTCDay(range.end).text]
            ).rows
        }
        return try rows.map { row in
            guard row.count == 3, let id = row[0], let bytes = row[1].flatMap({ Int64($0) }),
                let count = row[2].flatMap({ Int64($0) })
            else { throw StorageError(.invalidData, "unreadable talker") }
            return Talker(nodeID: Node.ID(rawValue: id), bytes: bytes, artifactCount: count)
        }
    }

    func searchEdges(_ query: EdgeQuery, in org: Org.ID) async throws -> Page<Edge> {
        let page = try query.page.validated()
        let range = try query.timeRange.validated()
        var filter = SQLFilter(org: org, column: "e.org_id")
        switch query.direction {
        case .outgoing: filter.add("e.source_id = $?", query.nodeID.rawValue)
        case .incoming: filter.add("e.target_id = $?", query.nodeID.rawValue)
        case .both:
            let node = filter.parameter(query.nodeID.rawValue)
            filter.add("(e.source_id = \(node) OR e.target_id = \(node))")
        }
        // An edge last seen in the range was last seen on one of its days: only those edges are summed.
        filter.add("e.last_day >= $?::date", UTCDay(range.start).text)
        filter.add("e.last_day <= $?::date", UTCDay(range.end).text)
        filter.add("a.last_seen >= $?::timestamptz", TimestampFormat.string(from: range.start))
        filter.add("a.last_seen < $?::timestamptz", TimestampFormat.string(from: range.end))
        if let type = query.type { filter.add("a.type = $?", type.rawValue) }
        let (whereClause, parameters) = filter.build()
        let matching = "FROM edges AS e \(Self.summedDays) WHERE \(whereClause)"
        return try await self.database.pool.withConnection { connection in
            let total = try connection.query("SELECT count(*) \(matching)", parameters).integer()
            let rows = try connection.query(
                """
                SELECT \(Self.edgeColumns) \(matching)
                ORDER BY a.last_seen DESC, e.id LIMIT \(page.limit) OFFSET \(page.offset)
                """, parameters
            ).rows
            return Page(
                items: try rows.map { try Self.decodeEdge($0, org: org) }, total: total, limit: page.limit,
                offset: page.offset)
        }
    }

    func edges(touching nodes: [Node.ID], limitPerNode: Int, in org: Org.ID) async throws -> [Edge] {
        guard !nodes.isEmpty, limitPerNode > 0 else { return [] }
        // Per node, its newest edges from each side's index (a LATERAL pair of index scans rather
        // than one OR, which would read every edge of the org), then only those edges summed.
        let sql = """
            WITH picked AS (
                SELECT DISTINCT ON (p.id) p.* FROM (SELECT DISTINCT unnest($2::text[]) AS node) AS w
                CROSS JOIN LATERAL (
                    SELECT * FROM (
                        (SELECT * FROM edges WHERE org_id = $1 AND source_id = w.node
                         ORDER BY last_day DESC, id LIMIT $3)
                        UNION ALL
                        (SELECT * FROM edges WHERE org_id = $1 AND target_id = w.node
                         ORDER BY last_day DESC, id LIMIT $3)
                    ) AS sides ORDER BY last_day DESC, id LIMIT $3
                ) AS p
            )
            SELECT \(Self.edgeColumns) FROM picked AS e \(Self.summedDays) ORDER BY e.id
            """
        return try await self.database.pool.withConnection { connection in
            try connection.query(
                sql, [.text(org.rawValue), PostgresArray.binary(nodes.map(\.rawValue)), .text("\(limitPerNode)")]
            )
            .rows.map { try Self.decodeEdge($0, org: org) }
        }
    }

    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let cutoffText = TimestampFormat.string(from: cutoff)
        let removed = try await self.database.pool.withConnection { [database] connection in
            try connection.transaction {
                // First, so no graph write that caches edges runs between the deletes and the
                // commit (see KnownEdges).
                if !dryRun { try connection.execute("UPDATE graph_epoch SET generation = generation + 1") }
                let nodes = try connection.query(
                    dryRun
                        ? "SELECT count(*) FROM nodes WHERE last_seen < $1::timestamptz"
                        : "WITH gone AS (DELETE FROM nodes WHERE last_seen < $1::timestamptz RETURNING 1) SELECT count(*) FROM gone",
                    [cutoffText]
                ).integer()
                let edgeDays = try database.purgeDayPartitioned(
                    .edgeDays, before: cutoff, timeColumn: "last_seen", dryRun: dryRun, using: connection)
                guard !dryRun else { return nodes + edgeDays }
                try connection.query("DELETE FROM graph_deltas WHERE seen_at < $1::timestamptz", [cutoffText])
                try connection.query("DELETE FROM graph_writers WHERE written_at < $1::timestamptz", [cutoffText])
                try connection.execute(
                    """
                    DELETE FROM edges e WHERE NOT EXISTS (
                        SELECT 1 FROM edge_days d WHERE d.org_id = e.org_id AND d.edge_id = e.id);
                    WITH counts AS (
                        SELECT org_id, node_id, count(*) AS n FROM (
                            SELECT org_id, source_id AS node_id, id FROM edges
                            UNION SELECT org_id, target_id, id FROM edges) AS endpoints
                        GROUP BY org_id, node_id)
                    UPDATE nodes SET edge_count = coalesce(c.n, 0)
                    FROM nodes AS n LEFT JOIN counts AS c ON c.org_id = n.org_id AND c.node_id = n.id
                    WHERE nodes.org_id = n.org_id AND nodes.id = n.id AND nodes.edge_count <> coalesce(c.n, 0);
                    """)
                return nodes + edgeDays
            }
        }
        if !dryRun { self.database.forgetPartitions(.edgeDays) }
        return removed
    }
}
