import WFACore
import WFAStorage

/// ``RuleStore`` on PostgreSQL: one `rules` table keyed by (org, kind, id).
struct PostgresRuleStore: RuleStore {
    let database: PostgresDatabase

    func save<Rule: DetectionRule>(_ rules: [Rule]) async throws {
        guard !rules.isEmpty else { return }
        let rows: [[String?]] = try rules.map { rule in
            [rule.orgID.rawValue, Rule.kind.rawValue, rule.id.rawValue, try DocumentCoding.encode(rule)]
        }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows {
                    try connection.query(
                        """
                        INSERT INTO rules (org_id, kind, id, doc) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (org_id, kind, id) DO UPDATE SET doc = EXCLUDED.doc
                        """, row)
                }
            }
        }
    }

    func rule<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Rule? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Rule.self,
                from: connection.query(
                    "SELECT doc FROM rules WHERE org_id = $1 AND kind = $2 AND id = $3",
                    [org.rawValue, Rule.kind.rawValue, id.rawValue])
            ).first
        }
    }

    func rules<Rule: DetectionRule>(_ type: Rule.Type, in org: Org.ID, page: PageRequest) async throws -> Page<Rule> {
        let page = try page.validated()
        var filter = SQLFilter(org: org)
        filter.add("kind = $?", Rule.kind.rawValue)
        return try await self.database.pool.withConnection { [filter] connection in
            try connection.page(Rule.self, table: "rules", filter: filter, orderBy: "id", page: page)
        }
    }

    func delete<Rule: DetectionRule>(_ type: Rule.Type, id: Rule.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                "DELETE FROM rules WHERE org_id = $1 AND kind = $2 AND id = $3",
                [org.rawValue, Rule.kind.rawValue, id.rawValue]
            ).affectedRows > 0
        }
    }
}
