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
