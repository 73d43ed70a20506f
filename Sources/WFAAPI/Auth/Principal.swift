public import WFACore

/// Who is calling: a signed-in user or an API key, with its org and resolved permissions.
public struct Principal: Sendable, Equatable {
    public enum Credential: Sendable, Equatable {
        case user(User.ID)
        case apiKey(APIKey.ID)
    }

    public var credential: Credential
    public var orgID: Org.ID
    public var roleID: Role.ID
    public var permissions: Set<Permission>

    /// Whether the principal may perform an operation that requires `permission`.
    public func holds(_ permission: Permission) -> Bool { self.permissions.grants(permission) }

    /// Who an audit trail names for the caller's changes: the user, or `api-key:<id>`.
    public var actor: User.ID {
        switch self.credential {
        case .user(let id): id
        case .apiKey(let id): User.ID("api-key:\(id.rawValue)")
        }
    }

    /// The caller of the operation being served; set by ``AuthorizationMiddleware``.
    @TaskLocal public static var current: Principal?
}
