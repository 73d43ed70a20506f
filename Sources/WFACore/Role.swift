/// A named set of permissions. Built-in roles belong to no org and cannot be edited;
/// custom roles belong to one org.
public struct Role: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Role>

    public var id: ID
    /// nil for built-in roles.
    public var orgID: Org.ID?
    public var name: String
    public var description: String
    public var permissions: Set<Permission>

    public var isBuiltIn: Bool { self.orgID == nil }

    public init(id: ID, orgID: Org.ID?, name: String, description: String = "", permissions: Set<Permission>) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.description = description
        self.permissions = permissions
    }

    enum CodingKeys: String, CodingKey {
        case id, name, description, permissions
        case orgID = "org_id"
    }
}

extension Role {
    public static let admin = Role(
        id: "admin", orgID: nil, name: "Admin", description: "Everything, including users and settings.",
        permissions: [.admin])

    public static let analyst = Role(
        id: "analyst", orgID: nil, name: "Analyst", description: "Works incidents, rules and the graph.",
        permissions: [
            Permission(.signals, .write), Permission(.graph, .write), Permission(.incidents, .write),
            Permission(.observer, .write), Permission(.reports, .read), Permission(.frameworks, .read),
            Permission(.health, .read),
        ])

    public static let auditor = Role(
        id: "auditor", orgID: nil, name: "Auditor", description: "Reads everything, changes nothing.",
        permissions: Set(Permission.Area.allCases.map { Permission($0, .read) }))

    public static let readOnly = Role(
        id: "readonly", orgID: nil, name: "ReadOnly", description: "Reads events, graph and incidents.",
        permissions: [
            Permission(.signals, .read), Permission(.graph, .read), Permission(.incidents, .read),
            Permission(.observer, .read), Permission(.health, .read),
        ])

    public static let reporter = Role(
        id: "reporter", orgID: nil, name: "Reporter", description: "Builds compliance and executive reports.",
        permissions: [
            Permission(.reports, .write), Permission(.frameworks, .read), Permission(.incidents, .read),
            Permission(.signals, .read), Permission(.graph, .read),
        ])

    public static let health = Role(
        id: "health", orgID: nil, name: "Health", description: "Monitoring: health and metrics only.",
        permissions: [Permission(.health, .read), Permission(.metrics, .read)])

    /// The six roles every org has.
    public static let builtIn: [Role] = [.admin, .analyst, .auditor, .readOnly, .reporter, .health]
}
