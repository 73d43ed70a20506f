import WFACore
import WFAStorage

extension Components.Schemas.User {
    init(_ user: User) {
        self.init(
            id: user.id.rawValue, orgId: user.orgID.rawValue, email: user.email, displayName: user.displayName,
            roleId: user.roleID.rawValue, disabled: user.disabled)
    }
}

extension Components.Schemas.RetentionPolicy {
    init(_ policy: RetentionPolicy) {
        self.init(
            artifactsDays: policy.artifactDays, graphDays: policy.graphDays, workUnitsDays: policy.workUnitDays,
            incidentsDays: policy.incidentDays, reportsDays: policy.reportDays)
    }

    var domain: RetentionPolicy {
        RetentionPolicy(
            artifactDays: self.artifactsDays, graphDays: self.graphDays, workUnitDays: self.workUnitsDays,
            incidentDays: self.incidentsDays, reportDays: self.reportsDays)
    }
}

extension Components.Schemas.Role {
    init(_ role: Role) {
        self.init(
            id: role.id.rawValue, name: role.name, description: role.description,
            permissions: role.permissions.sorted().compactMap {
                Components.Schemas.Permission(rawValue: $0.description)
            },
            builtIn: role.isBuiltIn)
    }
}

extension Components.Schemas.APIKey {
    init(_ key: APIKey) {
        self.init(
            id: key.id.rawValue, name: key.name, prefix: key.prefix, roleId: key.roleID.rawValue,
            createdAt: key.createdAt,
            revoked: key.isRevoked, revokedAt: key.revokedAt)
    }
}
