public import Foundation

/// A person who signs in. The password is only ever held as a KDF hash produced by the API layer.
public struct User: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<User>

    public var id: ID
    public var orgID: Org.ID
    /// Lower-cased; unique across the installation because sign-in is by email.
    public var email: String
    public var displayName: String
    public var roleID: Role.ID
    /// PHC-format KDF hash; never a password, never logged.
    public var passwordHash: String
    public var disabled: Bool
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: ID = .random(),
        orgID: Org.ID,
        email: String,
        displayName: String,
        roleID: Role.ID,
        passwordHash: String,
        disabled: Bool = false,
        createdAt: Date = Date(),
        updatedAt: Date? = nil
    ) {
        self.id = id
        self.orgID = orgID
        self.email = email.lowercased()
        self.displayName = displayName
        self.roleID = roleID
        self.passwordHash = passwordHash
        self.disabled = disabled
        self.createdAt = EpochMicroseconds.normalize(createdAt)
        self.updatedAt = EpochMicroseconds.normalize(updatedAt ?? createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, email, disabled
        case orgID = "org_id"
        case displayName = "display_name"
        case roleID = "role_id"
        case passwordHash = "password_hash"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }
}

extension User: CustomStringConvertible {
    /// Leaves the hash out, so a logged user never leaks it.
    public var description: String { "User(\(self.id), \(self.email))" }
}
