import Foundation
import WFACore
import WFAStorage

/// ``IncidentStore`` on PostgreSQL. Changes to one incident are read-modify-write under
/// `SELECT ... FOR UPDATE`, so concurrent analysts serialize per incident.
struct PostgresIncidentStore: IncidentStore {
    let database: PostgresDatabase

    func save(_ incidents: [Incident]) async throws {
        guard !incidents.isEmpty else { return }
        let rows = try incidents.map { try Self.row($0) }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows { try Self.upsert(row, using: connection) }
            }
        }
    }

    func saveKeepingWorkflow(_ incidents: [Incident]) async throws -> [Incident] {
        guard !incidents.isEmpty else { return [] }
        let ids = PostgresArray.literal(incidents.map(\.id.rawValue))
        return try await self.database.pool.withConnection { connection in
            try connection.transaction {
                // Locked in id order, so two writers of overlapping batches cannot deadlock.
                let rows = try connection.query(
                    "SELECT doc FROM incidents WHERE id = ANY($1::text[]) ORDER BY id FOR UPDATE", [ids])
                let stored = Dictionary(
                    try DocumentCoding.decodeAll(Incident.self, from: rows).map { ($0.id, $0) },
                    uniquingKeysWith: { first, _ in first })
                var saved: [Incident] = []
                for incident in incidents {
                    var merged = incident
                    if let existing = stored[incident.id] {
                        guard existing.orgID == incident.orgID else { continue }
                        merged = incident.keepingWorkflow(of: existing)
                    }
                    try Self.upsert(try Self.row(merged), using: connection)
                    saved.append(merged)
                }
                return saved
            }
        }
    }

    private static func row(_ incident: Incident) throws -> [String?] {
        [
            incident.id.rawValue, incident.orgID.rawValue, TimestampFormat.string(from: incident.createdAt),
            TimestampFormat.string(from: incident.updatedAt), String(incident.status.rawValue),
            String(IncidentSeverity.allCases.firstIndex(of: incident.severity) ?? 0), incident.assignee?.rawValue,
            try DocumentCoding.encode(incident), incident.mergedInto?.rawValue,
        ]
    }

    /// The `WHERE` on the update keeps an id owned by one org from being overwritten by another.
    private static func upsert(_ row: [String?], using connection: LibPQConnection) throws {
        try connection.query(
            """
            INSERT INTO incidents (id, org_id, created_at, updated_at, status, severity_rank, assignee, doc, merged_into)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
            ON CONFLICT (id) DO UPDATE SET created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at,
                status = EXCLUDED.status, severity_rank = EXCLUDED.severity_rank, assignee = EXCLUDED.assignee,
                doc = EXCLUDED.doc, merged_into = EXCLUDED.merged_into
            WHERE incidents.org_id = EXCLUDED.org_id
            """, row)
    }

    func incident(_ id: Incident.ID, in org: Org.ID) async throws -> Incident? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Incident.self,
                from: connection.query(
                    "SELECT doc FROM incidents WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
            ).first
        }
    }

    func search(_ query: IncidentQuery, in org: Org.ID) async throws -> Page<Incident> {
        let page = try query.page.validated()
        let range = try query.timeRange.validated()
        var filter = SQLFilter(org: org)
        filter.add("created_at >= $?::timestamptz", TimestampFormat.string(from: range.start))
        filter.add("created_at < $?::timestamptz", TimestampFormat.string(from: range.end))
        if !query.statuses.isEmpty {
            filter.add("status = ANY($?::smallint[])", PostgresArray.literal(query.statuses.map { Int64($0.rawValue) }))
        }
        if let minimum = query.minimumSeverity {
            filter.add("severity_rank >= $?", String(IncidentSeverity.allCases.firstIndex(of: minimum) ?? 0))
        }
        if let assignee = query.assignee { filter.add("assignee = $?", assignee.rawValue) }
        if !query.includeMerged { filter.add("merged_into IS NULL") }
        return try await self.database.pool.withConnection { [filter] connection in
            try connection.page(
                Incident.self, table: "incidents", filter: filter, orderBy: "created_at DESC, id DESC", page: page)
        }
    }

    /// Locks the incident, applies `change`, writes it back.
    private func modify(
        _ id: Incident.ID, in org: Org.ID, retry: Bool = true,
        _ change: @escaping @Sendable (inout Incident) throws -> Void
    ) async throws -> Incident {
        try await self.database.pool.withConnection(retry: retry) { connection in
            try connection.transaction {
                let rows = try connection.query(
                    "SELECT doc FROM incidents WHERE id = $1 AND org_id = $2 FOR UPDATE", [id.rawValue, org.rawValue])
                guard var incident = try DocumentCoding.decodeAll(Incident.self, from: rows).first else {
                    throw StorageError(.notFound, "incident not found")
                }
                try change(&incident)
                try Self.upsert(try Self.row(incident), using: connection)
                return incident
            }
        }
    }

    func transition(
        _ id: Incident.ID, in org: Org.ID, from expected: IncidentStatus, to status: IncidentStatus,
        by actor: User.ID, at time: Date
    ) async throws -> Incident {
        // Not retried: if a lost connection hid a successful commit, a retry would report a false conflict.
        try await self.modify(id, in: org, retry: false) {
            try $0.applyTransition(from: expected, to: status, by: actor, at: time)
        }
    }

    func assign(
        _ id: Incident.ID, in org: Org.ID, to assignee: User.ID?, by actor: User.ID, at time: Date
    ) async throws -> Incident {
        try await self.modify(id, in: org) { $0.applyAssignment(assignee, by: actor, at: time) }
    }

    func append(_ note: IncidentNote, to id: Incident.ID, in org: Org.ID) async throws -> Incident {
        try await self.modify(id, in: org) { $0.applyNote(note) }
    }

    func save(_ workUnits: [WorkUnit]) async throws {
        guard !workUnits.isEmpty else { return }
        let rows: [[String?]] = try workUnits.map { unit in
            [
                unit.id.rawValue, unit.orgID.rawValue, unit.incidentID.rawValue,
                TimestampFormat.string(from: unit.createdAt), TimestampFormat.string(from: unit.updatedAt),
                try DocumentCoding.encode(unit),
            ]
        }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows {
                    try connection.query(
                        """
                        INSERT INTO work_units (id, org_id, incident_id, created_at, updated_at, doc)
                        VALUES ($1, $2, $3, $4, $5, $6)
                        ON CONFLICT (id) DO UPDATE SET incident_id = EXCLUDED.incident_id,
                            created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at, doc = EXCLUDED.doc
                        WHERE work_units.org_id = EXCLUDED.org_id
                        """, row)
                }
            }
        }
    }

    func workUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> WorkUnit? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                WorkUnit.self,
                from: connection.query(
                    "SELECT doc FROM work_units WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
            ).first
        }
    }

    func workUnits(of incident: Incident.ID, in org: Org.ID) async throws -> [WorkUnit] {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                WorkUnit.self,
                from: connection.query(
                    "SELECT doc FROM work_units WHERE org_id = $1 AND incident_id = $2 ORDER BY created_at, id",
                    [org.rawValue, incident.rawValue]))
        }
    }

    func deleteWorkUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query("DELETE FROM work_units WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
                .affectedRows > 0
        }
    }

    func save(_ observations: [Observation]) async throws {
        guard !observations.isEmpty else { return }
        let rows: [[String?]] = try observations.map { observation in
            [
                observation.id.rawValue, observation.orgID.rawValue, observation.incidentID?.rawValue,
                observation.nodeID?.rawValue, TimestampFormat.string(from: observation.observedAt),
                try DocumentCoding.encode(observation),
            ]
        }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows {
                    try connection.query(
                        """
                        INSERT INTO observations (id, org_id, incident_id, node_id, observed_at, doc)
                        VALUES ($1, $2, $3, $4, $5, $6)
                        ON CONFLICT (id) DO UPDATE SET incident_id = EXCLUDED.incident_id, node_id = EXCLUDED.node_id,
                            observed_at = EXCLUDED.observed_at, doc = EXCLUDED.doc
                        WHERE observations.org_id = EXCLUDED.org_id
                        """, row)
                }
            }
        }
    }

    func search(_ query: ObservationQuery, in org: Org.ID) async throws -> Page<Observation> {
        let page = try query.page.validated()
        let range = try query.timeRange.validated()
        var filter = SQLFilter(org: org)
        filter.add("observed_at >= $?::timestamptz", TimestampFormat.string(from: range.start))
        filter.add("observed_at < $?::timestamptz", TimestampFormat.string(from: range.end))
        if let incident = query.incidentID { filter.add("incident_id = $?", incident.rawValue) }
        if let node = query.nodeID { filter.add("node_id = $?", node.rawValue) }
        return try await self.database.pool.withConnection { [filter] connection in
            try connection.page(
                Observation.self, table: "observations", filter: filter, orderBy: "observed_at DESC, id DESC",
                page: page)
        }
    }

    func purgeIncidents(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let cutoffText = TimestampFormat.string(from: cutoff)
        return try await self.database.pool.withConnection { connection in
            try connection.transaction {
                if dryRun {
                    return try connection.query(
                        """
                        SELECT (SELECT count(*) FROM incidents WHERE updated_at < $1::timestamptz)
                             + (SELECT count(*) FROM observations WHERE observed_at < $1::timestamptz)
                        """, [cutoffText]
                    ).integer()
                }
                let incidents = try connection.query(
                    "DELETE FROM incidents WHERE updated_at < $1::timestamptz", [cutoffText])
                let observations = try connection.query(
                    "DELETE FROM observations WHERE observed_at < $1::timestamptz", [cutoffText])
                return incidents.affectedRows + observations.affectedRows
            }
        }
    }

    func purgeWorkUnits(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let cutoffText = TimestampFormat.string(from: cutoff)
        return try await self.database.pool.withConnection { connection in
            try connection.query(
                dryRun
                    ? "SELECT count(*) FROM work_units WHERE updated_at < $1::timestamptz"
                    : "WITH gone AS (DELETE FROM work_units WHERE updated_at < $1::timestamptz RETURNING 1) SELECT count(*) FROM gone",
                [cutoffText]
            ).integer()
        }
    }
}
