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

    /// The caller of the operation being served; set by ``AuthorizationMiddleware``.
    @TaskLocal public static var current: Principal?
}
