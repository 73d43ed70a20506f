public import Foundation
public import WFACore

/// A ``DirectoryStore`` in memory.
public actor InMemoryDirectoryStore: DirectoryStore {
    private struct SettingKey: Hashable {
        var org: Org.ID?
        var key: String
    }

    private var orgsByID: [Org.ID: Org] = [:]
    private var usersByID: [User.ID: User] = [:]
    private var rolesByID: [Role.ID: Role] = [:]
    private var keysByID: [APIKey.ID: APIKey] = [:]
    private var settings: [SettingKey: JSONValue] = [:]

    public init() {}

    public func save(_ org: Org) async throws { self.orgsByID[org.id] = org }

    public func org(_ id: Org.ID) async throws -> Org? { self.orgsByID[id] }

    public func orgs() async throws -> [Org] {
        self.orgsByID.values.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func save(_ user: User) async throws {
        if self.usersByID.values.contains(where: { $0.email == user.email && $0.id != user.id }) {
            throw StorageError(.conflict, "email already in use")
        }
        if let existing = self.usersByID[user.id], existing.orgID != user.orgID {
            throw StorageError(.conflict, "user id belongs to another org")
        }
        self.usersByID[user.id] = user
    }

    public func user(_ id: User.ID, in org: Org.ID) async throws -> User? {
        self.usersByID[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func user(email: String) async throws -> User? {
        let email = email.lowercased()
        return self.usersByID.values.first { $0.email == email }
    }

    public func users(in org: Org.ID, page: PageRequest) async throws -> Page<User> {
        let page = try page.validated()
        return Page(slicing: self.usersByID.values.filter { $0.orgID == org }.sorted { $0.email < $1.email }, page)
    }

    public func deleteUser(_ id: User.ID, in org: Org.ID) async throws -> Bool {
        guard let user = self.usersByID[id], user.orgID == org else { return false }
        self.usersByID[id] = nil
        return true
    }

    public func save(_ role: Role) async throws {
        guard let org = role.orgID else { throw StorageError(.invalidData, "built-in roles are not stored") }
        if Role.builtIn.contains(where: { $0.id == role.id }) {
            throw StorageError(.conflict, "role id is reserved for a built-in role")
        }
        if let existing = self.rolesByID[role.id], existing.orgID != org {
            throw StorageError(.conflict, "role id belongs to another org")
        }
        self.rolesByID[role.id] = role
    }

    public func role(_ id: Role.ID, in org: Org.ID) async throws -> Role? {
        if let builtIn = Role.builtIn.first(where: { $0.id == id }) { return builtIn }
        return self.rolesByID[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func roles(in org: Org.ID) async throws -> [Role] {
        Role.builtIn + self.rolesByID.values.filter { $0.orgID == org }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func deleteRole(_ id: Role.ID, in org: Org.ID) async throws -> Bool {
        guard let role = self.rolesByID[id], role.orgID == org else { return false }
        self.rolesByID[id] = nil
        return true
    }

    public func save(_ key: APIKey) async throws {
        if let existing = self.keysByID[key.id], existing.orgID != key.orgID {
            throw StorageError(.conflict, "key id belongs to another org")
        }
        if self.keysByID.values.contains(where: { $0.secretHash == key.secretHash && $0.id != key.id }) {
            throw StorageError(.conflict, "key hash already in use")
        }
        self.keysByID[key.id] = key
    }

    public func apiKey(secretHash: String) async throws -> APIKey? {
        self.keysByID.values.first { $0.secretHash == secretHash }
    }

    public func apiKeys(in org: Org.ID) async throws -> [APIKey] {
        self.keysByID.values.filter { $0.orgID == org }
            .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id > $1.id }
    }

    public func revokeAPIKey(_ id: APIKey.ID, in org: Org.ID, at time: Date) async throws -> Bool {
        guard var key = self.keysByID[id], key.orgID == org else { return false }
        if key.revokedAt == nil { key.revokedAt = EpochMicroseconds.normalize(time) }
        self.keysByID[id] = key
        return true
    }

    public func setting(_ key: String, in org: Org.ID?) async throws -> JSONValue? {
        self.settings[SettingKey(org: org, key: key)]
    }

    public func setSetting(_ key: String, to value: JSONValue, in org: Org.ID?) async throws {
        self.settings[SettingKey(org: org, key: key)] = value
    }
}
