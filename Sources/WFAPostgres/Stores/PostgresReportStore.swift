import Foundation
import WFACore
import WFAStorage

/// ``ReportStore`` on PostgreSQL.
struct PostgresReportStore: ReportStore {
    let database: PostgresDatabase

    func save(_ reports: [Report]) async throws {
        guard !reports.isEmpty else { return }
        let rows: [[String?]] = try reports.map { report in
            [
                report.id.rawValue, report.orgID.rawValue, report.kind.rawValue,
                TimestampFormat.string(from: report.createdAt), try DocumentCoding.encode(report),
            ]
        }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows {
                    try connection.query(
                        """
                        INSERT INTO reports (id, org_id, kind, created_at, doc) VALUES ($1, $2, $3, $4, $5)
                        ON CONFLICT (id) DO UPDATE SET kind = EXCLUDED.kind, created_at = EXCLUDED.created_at, doc = EXCLUDED.doc
                        WHERE reports.org_id = EXCLUDED.org_id
                        """, row)
                }
            }
        }
    }

    func report(_ id: Report.ID, in org: Org.ID) async throws -> Report? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Report.self,
                from: connection.query(
                    "SELECT doc FROM reports WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
            ).first
        }
    }

    func search(_ query: ReportQuery, in org: Org.ID) async throws -> Page<Report> {
        let page = try query.page.validated()
        let range = try query.timeRange.validated()
        var filter = SQLFilter(org: org)
        filter.add("created_at >= $?::timestamptz", TimestampFormat.string(from: range.start))
        filter.add("created_at < $?::timestamptz", TimestampFormat.string(from: range.end))
        if let kind = query.kind { filter.add("kind = $?", kind.rawValue) }
        return try await self.database.pool.withConnection { [filter] connection in
            try connection.page(
                Report.self, table: "reports", filter: filter, orderBy: "created_at DESC, id DESC", page: page)
        }
    }

    func delete(_ id: Report.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query("DELETE FROM reports WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
                .affectedRows > 0
        }
    }

    func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let cutoffText = TimestampFormat.string(from: cutoff)
        return try await self.database.pool.withConnection { connection in
            try connection.query(
                dryRun
                    ? "SELECT count(*) FROM reports WHERE created_at < $1::timestamptz"
                    : "WITH gone AS (DELETE FROM reports WHERE created_at < $1::timestamptz RETURNING 1) SELECT count(*) FROM gone",
                [cutoffText]
            ).integer()
        }
    }
}
