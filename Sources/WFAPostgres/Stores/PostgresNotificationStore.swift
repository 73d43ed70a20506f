import Foundation
import WFACore
import WFAStorage

/// ``NotificationStore`` on PostgreSQL: channels and rules in one keyed table (an org has a
/// handful), deliveries in a table ordered by time.
struct PostgresNotificationStore: NotificationStore {
    let database: PostgresDatabase

    private enum Kind: String {
        case channel, rule
    }

    private func put(_ kind: Kind, id: String, org: Org.ID, name: String, doc: String) async throws {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO notification_config (org_id, kind, id, name, doc) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (org_id, kind, id) DO UPDATE SET name = EXCLUDED.name, doc = EXCLUDED.doc
                """, [org.rawValue, kind.rawValue, id, name, doc])
        }
    }

    private func all<Value: Decodable & Sendable>(_ kind: Kind, in org: Org.ID, as type: Value.Type) async throws
        -> [Value]
    {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                type,
                from: connection.query(
                    "SELECT doc FROM notification_config WHERE org_id = $1 AND kind = $2 ORDER BY name, id",
                    [org.rawValue, kind.rawValue]))
        }
    }

    func save(_ channel: NotificationChannel) async throws {
        try await self.put(
            .channel, id: channel.id.rawValue, org: channel.orgID, name: channel.name,
            doc: try DocumentCoding.encode(channel))
    }

    func channel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> NotificationChannel? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                NotificationChannel.self,
                from: connection.query(
                    "SELECT doc FROM notification_config WHERE org_id = $1 AND kind = 'channel' AND id = $2",
                    [org.rawValue, id.rawValue])
            ).first
        }
    }

    func channels(in org: Org.ID) async throws -> [NotificationChannel] {
        try await self.all(.channel, in: org, as: NotificationChannel.self)
    }

    func deleteChannel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            // The channel row goes first: that waits for any rule being saved against it (which
            // holds a share lock on the row, see `save(_:)`), and the rules are then deleted in a
            // statement that sees that rule. A rule saved after this is refused for want of a channel.
            try connection.transaction {
                let existed =
                    try connection.query(
                        "DELETE FROM notification_config WHERE org_id = $1 AND kind = 'channel' AND id = $2",
                        [org.rawValue, id.rawValue]
                    ).affectedRows > 0
                try connection.query(
                    """
                    DELETE FROM notification_config
                    WHERE org_id = $1 AND kind = 'rule' AND doc->>'channel_id' = $2
                    """, [org.rawValue, id.rawValue])
                return existed
            }
        }
    }

    func save(_ rule: NotificationRule) async throws -> Bool {
        let doc = try DocumentCoding.encode(rule)
        return try await self.database.pool.withConnection { connection in
            // One statement: the channel row is share-locked while the rule is written, so a
            // concurrent `deleteChannel` either waits for this rule and deletes it too, or has
            // already removed the channel and this inserts nothing.
            try connection.query(
                """
                INSERT INTO notification_config (org_id, kind, id, name, doc)
                SELECT $1, 'rule', $2, $3, $4
                WHERE EXISTS (
                    SELECT 1 FROM notification_config
                    WHERE org_id = $1 AND kind = 'channel' AND id = $5 FOR KEY SHARE)
                ON CONFLICT (org_id, kind, id) DO UPDATE SET name = EXCLUDED.name, doc = EXCLUDED.doc
                RETURNING id
                """, [rule.orgID.rawValue, rule.id.rawValue, rule.name, doc, rule.channelID.rawValue]
            ).rows.count == 1
        }
    }

    func rules(in org: Org.ID) async throws -> [NotificationRule] {
        try await self.all(.rule, in: org, as: NotificationRule.self)
    }

    func deleteRule(_ id: NotificationRule.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query(
                "DELETE FROM notification_config WHERE org_id = $1 AND kind = 'rule' AND id = $2",
                [org.rawValue, id.rawValue]
            ).affectedRows > 0
        }
    }

    func record(_ deliveries: [NotificationDelivery]) async throws {
        guard !deliveries.isEmpty else { return }
        let rows: [[String?]] = try deliveries.map {
            [
                $0.id.rawValue, $0.orgID.rawValue, TimestampFormat.string(from: $0.createdAt),
                try DocumentCoding.encode($0),
            ]
        }
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                for row in rows {
                    try connection.query(
                        """
                        INSERT INTO notification_deliveries (id, org_id, created_at, doc) VALUES ($1, $2, $3, $4)
                        ON CONFLICT (id) DO UPDATE SET doc = EXCLUDED.doc
                        WHERE notification_deliveries.org_id = EXCLUDED.org_id
                        """, row)
                }
            }
        }
    }

    func deliveries(in org: Org.ID, page: PageRequest) async throws -> Page<NotificationDelivery> {
        let page = try page.validated()
        let filter = SQLFilter(org: org)
        return try await self.database.pool.withConnection { connection in
            try connection.page(
                NotificationDelivery.self, table: "notification_deliveries", filter: filter,
                orderBy: "created_at DESC, id DESC", page: page)
        }
    }
}
