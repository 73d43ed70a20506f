import Foundation
import WFACore
import WFAStorage

/// ``DirectoryStore`` on PostgreSQL. Uniqueness (emails, key hashes) is enforced by unique indexes,
/// so it holds under concurrent writers too.
struct PostgresDirectoryStore: DirectoryStore {
    let database: PostgresDatabase

    func save(_ org: Org) async throws {
        let row: [String?] = [org.id.rawValue, org.name, try DocumentCoding.encode(org)]
        try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO orgs (id, name, doc) VALUES ($1, $2, $3)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, doc = EXCLUDED.doc
                """, row)
        }
    }

    func org(_ id: Org.ID) async throws -> Org? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Org.self, from: connection.query("SELECT doc FROM orgs WHERE id = $1", [id.rawValue])
            )
            .first
        }
    }

    func orgs() async throws -> [Org] {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(Org.self, from: connection.query("SELECT doc FROM orgs ORDER BY name, id"))
        }
    }

    func save(_ user: User) async throws {
        let row: [String?] = [user.id.rawValue, user.orgID.rawValue, user.email, try DocumentCoding.encode(user)]
        try await self.database.pool.withConnection { connection in
            let updated = try connection.query(
                """
                INSERT INTO users (id, org_id, email, doc) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET email = EXCLUDED.email, doc = EXCLUDED.doc
                WHERE users.org_id = EXCLUDED.org_id
                """, row)
            if updated.affectedRows == 0 { throw StorageError(.conflict, "user id belongs to another org") }
        }
    }

    func user(_ id: User.ID, in org: Org.ID) async throws -> User? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                User.self,
                from: connection.query(
                    "SELECT doc FROM users WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
            ).first
        }
    }

    func user(email: String) async throws -> User? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                User.self, from: connection.query("SELECT doc FROM users WHERE email = $1", [email.lowercased()])
            ).first
        }
    }

    func users(in org: Org.ID, page: PageRequest) async throws -> Page<User> {
        let page = try page.validated()
        return try await self.database.pool.withConnection { connection in
            try connection.page(User.self, table: "users", filter: SQLFilter(org: org), orderBy: "email", page: page)
        }
    }

    func deleteUser(_ id: User.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query("DELETE FROM users WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
                .affectedRows > 0
        }
    }

    func save(_ role: Role) async throws {
        guard let org = role.orgID else { throw StorageError(.invalidData, "built-in roles are not stored") }
        if Role.builtIn.contains(where: { $0.id == role.id }) {
            throw StorageError(.conflict, "role id is reserved for a built-in role")
        }
        let row: [String?] = [role.id.rawValue, org.rawValue, role.name, try DocumentCoding.encode(role)]
        try await self.database.pool.withConnection { connection in
            let updated = try connection.query(
                """
                INSERT INTO roles (id, org_id, name, doc) VALUES ($1, $2, $3, $4)
                ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, doc = EXCLUDED.doc
                WHERE roles.org_id = EXCLUDED.org_id
                """, row)
            if updated.affectedRows == 0 { throw StorageError(.conflict, "role id belongs to another org") }
        }
    }

    func role(_ id: Role.ID, in org: Org.ID) async throws -> Role? {
        if let builtIn = Role.builtIn.first(where: { $0.id == id }) { return builtIn }
        return try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Role.self,
                from: connection.query(
                    "SELECT doc FROM roles WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
            ).first
        }
    }

    func roles(in org: Org.ID) async throws -> [Role] {
        let custom = try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                Role.self,
                from: connection.query("SELECT doc FROM roles WHERE org_id = $1 ORDER BY name, id", [org.rawValue]))
        }
        return Role.builtIn + custom
    }

    func deleteRole(_ id: Role.ID, in org: Org.ID) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.query("DELETE FROM roles WHERE id = $1 AND org_id = $2", [id.rawValue, org.rawValue])
                .affectedRows > 0
        }
    }

    func save(_ key: APIKey) async throws {
        let row: [String?] = [
            key.id.rawValue, key.orgID.rawValue, key.secretHash, TimestampFormat.string(from: key.createdAt),
            try DocumentCoding.encode(key),
        ]
        try await self.database.pool.withConnection { connection in
            let updated = try connection.query(
                """
                INSERT INTO api_keys (id, org_id, secret_hash, created_at, doc) VALUES ($1, $2, $3, $4, $5)
                ON CONFLICT (id) DO UPDATE SET secret_hash = EXCLUDED.secret_hash, doc = EXCLUDED.doc
                WHERE api_keys.org_id = EXCLUDED.org_id
                """, row)
            if updated.affectedRows == 0 { throw StorageError(.conflict, "key id belongs to another org") }
        }
    }

    func apiKey(secretHash: String) async throws -> APIKey? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                APIKey.self, from: connection.query("SELECT doc FROM api_keys WHERE secret_hash = $1", [secretHash])
            ).first
        }
    }

    func apiKeys(in org: Org.ID) async throws -> [APIKey] {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                APIKey.self,
                from: connection.query(
                    "SELECT doc FROM api_keys WHERE org_id = $1 ORDER BY created_at DESC, id DESC", [org.rawValue]))
        }
    }

    func revokeAPIKey(_ id: APIKey.ID, in org: Org.ID, at time: Date) async throws -> Bool {
        try await self.database.pool.withConnection { connection in
            try connection.transaction {
                let rows = try connection.query(
                    "SELECT doc FROM api_keys WHERE id = $1 AND org_id = $2 FOR UPDATE", [id.rawValue, org.rawValue])
                guard var key = try DocumentCoding.decodeAll(APIKey.self, from: rows).first else { return false }
                if key.revokedAt == nil { key.revokedAt = EpochMicroseconds.normalize(time) }
                try connection.query(
                    "UPDATE api_keys SET doc = $3 WHERE id = $1 AND org_id = $2",
                    [id.rawValue, org.rawValue, try DocumentCoding.encode(key)])
                return true
            }
        }
    }

    /// Installation-wide settings use the empty scope; org ids are never empty.
    private static func scope(_ org: Org.ID?) -> String { org?.rawValue ?? "" }

    func setting(_ key: String, in org: Org.ID?) async throws -> JSONValue? {
        try await self.database.pool.withConnection { connection in
            try DocumentCoding.decodeAll(
                JSONValue.self,
                from: connection.query(
                    "SELECT value FROM settings WHERE scope = $1 AND key = $2", [Self.scope(org), key])
            ).first
        }
    }

    func setSetting(_ key: String, to value: JSONValue, in org: Org.ID?) async throws {
        let row: [String?] = [Self.scope(org), key, try DocumentCoding.encode(value)]
        try await self.database.pool.withConnection { connection in
            try connection.query(
                """
                INSERT INTO settings (scope, key, value) VALUES ($1, $2, $3)
                ON CONFLICT (scope, key) DO UPDATE SET value = EXCLUDED.value
                """, row)
        }
    }
}
