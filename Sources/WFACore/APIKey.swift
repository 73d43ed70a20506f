public import Foundation

/// A credential for integrations. The secret is shown once at creation; only its hash is kept.
public struct APIKey: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<APIKey>

    public var id: ID
    public var orgID: Org.ID
    public var name: String
    /// The first characters of the key, so a user can tell keys apart without the secret.
    public var prefix: String
    /// Hash of the whole key (lookup is by this hash).
    public var secretHash: String
    public var roleID: Role.ID
    public var createdBy: User.ID?
    public var createdAt: Date
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public var isRevoked: Bool { self.revokedAt != nil }

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        name: String,
        prefix: String,
        secretHash: String,
        roleID: Role.ID,
        createdBy: User.ID? = nil,
        createdAt: Date = Date(),
        lastUsedAt: Date? = nil,
        revokedAt: Date? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.prefix = prefix
        self.secretHash = secretHash
        self.roleID = roleID
        self.createdBy = createdBy
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.lastUsedAt = lastUsedAt.map(EpochMicroseconds.normalize)
        self.revokedAt = revokedAt.map(EpochMicroseconds.normalize)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, prefix
        case orgID = "org_id"
        case secretHash = "secret_hash"
        case roleID = "role_id"
        case createdBy = "created_by"
        case createdAt = "created_at"
        case lastUsedAt = "last_used_at"
        case revokedAt = "revoked_at"
    }
}

extension APIKey: CustomStringConvertible {
    public var description: String { "APIKey(\(self.id), \(self.prefix)…)" }
}
