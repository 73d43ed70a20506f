public import Foundation
public import WFACore

/// Orgs, users, custom roles, API keys and settings.
///
/// Cassandra tables: `orgs`, `users_by_org`, `users_by_email` (LWT `IF NOT EXISTS` keeps emails
/// unique), `roles_by_org`, `api_keys_by_org`, `api_keys_by_hash`, `settings`.
public protocol DirectoryStore: Sendable {
    /// Inserts or replaces an org.
    func save(_ org: Org) async throws
    func org(_ id: Org.ID) async throws -> Org?
    /// All orgs, by name.
    func orgs() async throws -> [Org]

    /// Inserts or replaces a user by id.
    /// - Throws: ``StorageError`` `storage.conflict` when another user already has the email.
    func save(_ user: User) async throws
    func user(_ id: User.ID, in org: Org.ID) async throws -> User?
    /// The user signing in with `email` (any org; emails are unique installation-wide).
    func user(email: String) async throws -> User?
    /// Users of `org`, by email.
    func users(in org: Org.ID, page: PageRequest) async throws -> Page<User>
    func deleteUser(_ id: User.ID, in org: Org.ID) async throws -> Bool

    /// Inserts or replaces a custom role.
    /// - Throws: `storage.invalid_data` for a role without an org (built-in roles are not stored).
    func save(_ role: Role) async throws
    /// A built-in role, or a custom role of `org`.
    func role(_ id: Role.ID, in org: Org.ID) async throws -> Role?
    /// The built-in roles followed by `org`'s custom roles by name.
    func roles(in org: Org.ID) async throws -> [Role]
    func deleteRole(_ id: Role.ID, in org: Org.ID) async throws -> Bool

    /// Inserts or replaces an API key (the secret itself is never stored, only its hash).
    func save(_ key: APIKey) async throws
    /// The key whose secret hashes to `secretHash` (any org), revoked or not.
    func apiKey(secretHash: String) async throws -> APIKey?
    /// Keys of `org`, newest first.
    func apiKeys(in org: Org.ID) async throws -> [APIKey]
    /// Marks a key revoked; returns false when it does not exist in `org`.
    func revokeAPIKey(_ id: APIKey.ID, in org: Org.ID, at time: Date) async throws -> Bool

    /// A setting of `org`, or an installation-wide one when `org` is nil.
    func setting(_ key: String, in org: Org.ID?) async throws -> JSONValue?
    func setSetting(_ key: String, to value: JSONValue, in org: Org.ID?) async throws
}
