import Foundation
import WFACore

/// The promises of ``DirectoryStore``.
public enum DirectoryStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case orgsCanBeSavedAndListed
    case usersReadBackAndSignInByEmail
    case emailsAreUniqueAcrossOrgs
    case rolesIncludeBuiltInsAndCustom
    case apiKeysAreFoundByHashAndRevoked
    case settingsAreScoped
    case retentionPolicyRoundTrips
    case orgsNeverSeeEachOther

    public var description: String { "DirectoryStore.\(self.rawValue)" }

    private static func user(org: Org.ID, email: String, role: Role.ID = Role.analyst.id) -> User {
        User(
            orgID: org, email: email, displayName: "Analyst", roleID: role,
            passwordHash: "$scrypt$ln=15,r=8,p=1$c2FsdA$aGFzaA", createdAt: Fixture.time(1))
    }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any DirectoryStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        let unique = UUID().uuidString.prefix(8).lowercased()
        switch self {
        case .orgsCanBeSavedAndListed:
            let acme = Org(id: org, name: "Acme \(unique)", createdAt: Fixture.time(1))
            try await store.save(acme)
            try verify.expectEqual(try await store.org(org), acme, "read back")
            var renamed = acme
            renamed.name = "Acme Corp \(unique)"
            try await store.save(renamed)
            try verify.expectEqual(try await store.org(org)?.name, renamed.name, "renamed")
            let listed = try await store.orgs()
            try verify.expect(listed.contains(renamed), "listed")

        case .usersReadBackAndSignInByEmail:
            let user = Self.user(org: org, email: "Alice.\(unique)@Example.com")
            try await store.save(user)
            try verify.expectEqual(try await store.user(user.id, in: org), user, "read back")
            try verify.expectEqual(
                try await store.user(email: "ALICE.\(unique)@example.COM"), user, "sign-in lookup ignores case")
            var changed = user
            changed.roleID = Role.auditor.id
            changed.disabled = true
            try await store.save(changed)
            try verify.expectEqual(try await store.user(user.id, in: org), changed, "updated")
            let second = Self.user(org: org, email: "bob.\(unique)@example.com")
            try await store.save(second)
            let page = try await store.users(in: org, page: PageRequest(limit: 1, offset: 1))
            try verify.expectEqual(page.items.map(\.id), [second.id], "users by email")
            try verify.expectEqual(page.total, 2, "total")
            try verify.expectEqual(try await store.deleteUser(user.id, in: org), true, "deleted")
            try verify.expectEqual(try await store.user(email: user.email), nil, "gone")

        case .emailsAreUniqueAcrossOrgs:
            let first = Self.user(org: org, email: "carol.\(unique)@example.com")
            try await store.save(first)
            try await verify.expectError(.conflict, "same email, other org") {
                try await store.save(Self.user(org: Fixture.org(), email: "CAROL.\(unique)@example.com"))
            }
            try await store.save(first)  // saving the same user again is fine

        case .rolesIncludeBuiltInsAndCustom:
            let custom = Role(
                id: Identifier("triage-\(unique)"), orgID: org, name: "Tri\u{0}age",
                permissions: [Permission(.incidents, .write), Permission(.graph, .read)])
            try await store.save(custom)
            let roles = try await store.roles(in: org)
            try verify.expectEqual(roles.prefix(6).map(\.id), Role.builtIn.map(\.id), "built-ins first")
            try verify.expectEqual(Array(roles.dropFirst(6)), [custom], "custom after")
            try verify.expectEqual(try await store.role(custom.id, in: org), custom, "custom by id")
            try verify.expectEqual(try await store.role(Role.admin.id, in: org), Role.admin, "built-in by id")
            try await verify.expectError(.invalidData, "built-in role cannot be stored") {
                try await store.save(Role(id: Identifier("x-\(unique)"), orgID: nil, name: "X", permissions: []))
            }
            try await verify.expectError(.conflict, "built-in id cannot be reused") {
                try await store.save(Role(id: Role.admin.id, orgID: org, name: "Fake admin", permissions: [.admin]))
            }
            try verify.expectEqual(try await store.deleteRole(custom.id, in: org), true, "deleted")
            try verify.expectEqual(try await store.role(custom.id, in: org), nil, "gone")

        case .apiKeysAreFoundByHashAndRevoked:
            let key = APIKey(
                orgID: org, name: "SOAR", prefix: "wfa_ab12", secretHash: "sha256:\(unique)", roleID: Role.analyst.id,
                createdAt: Fixture.time(1))
            let newer = APIKey(
                orgID: org, name: "Backup", prefix: "wfa_cd34", secretHash: "sha256:b-\(unique)",
                roleID: Role.readOnly.id, createdAt: Fixture.time(2))
            try await store.save(key)
            try await store.save(newer)
            try verify.expectEqual(try await store.apiKey(secretHash: key.secretHash), key, "by hash")
            try verify.expectEqual(try await store.apiKeys(in: org).map(\.id), [newer.id, key.id], "newest first")
            try verify.expectEqual(try await store.revokeAPIKey(key.id, in: org, at: Fixture.time(5)), true, "revoked")
            try verify.expectEqual(
                try await store.apiKey(secretHash: key.secretHash)?.revokedAt, Fixture.time(5), "revocation time")
            try verify.expectEqual(
                try await store.revokeAPIKey(.random(), in: org, at: Fixture.time(5)), false, "unknown")

        case .settingsAreScoped:
            let key = "business.\(unique)"
            try verify.expectEqual(try await store.setting(key, in: org), nil, "unset")
            try await store.setSetting(key, to: .object(["hourly_cost": .number(85)]), in: org)
            try await store.setSetting(key, to: .string("global"), in: nil)
            try verify.expectEqual(
                try await store.setting(key, in: org), .object(["hourly_cost": .number(85)]), "org setting")
            try verify.expectEqual(try await store.setting(key, in: nil), .string("global"), "global setting")
            try verify.expectEqual(try await store.setting(key, in: Fixture.org()), nil, "other org")

        case .retentionPolicyRoundTrips:
            try verify.expectEqual(try await store.retentionPolicy(), RetentionPolicy(), "defaults when unset")
            let policy = RetentionPolicy(
                artifactDays: 30, graphDays: 14, workUnitDays: 400, incidentDays: 730, reportDays: 2_555)
            try await store.setRetentionPolicy(policy)
            try verify.expectEqual(try await store.retentionPolicy(), policy, "stored policy")
            try await verify.expectError(.invalidData, "zero days") {
                try await store.setRetentionPolicy(RetentionPolicy(artifactDays: 0))
            }
            try verify.expectEqual(try await store.retentionPolicy(), policy, "rejected policy not stored")

        case .orgsNeverSeeEachOther:
            let other = Fixture.org()
            let theirs = Self.user(org: other, email: "dave.\(unique)@example.com")
            try await store.save(theirs)
            try verify.expectEqual(try await store.user(theirs.id, in: org), nil, "user")
            try verify.expectEqual(try await store.users(in: org, page: PageRequest()).total, 0, "users")
            try verify.expectEqual(try await store.deleteUser(theirs.id, in: org), false, "delete user")
            let role = Role(id: Identifier("r-\(unique)"), orgID: other, name: "Theirs", permissions: [])
            try await store.save(role)
            try verify.expectEqual(try await store.role(role.id, in: org), nil, "role")
            try verify.expectEqual(try await store.roles(in: org).count, Role.builtIn.count, "roles")
            try verify.expectEqual(try await store.deleteRole(role.id, in: org), false, "delete role")
            let key = APIKey(orgID: other, name: "k", prefix: "p", secretHash: "h-\(unique)", roleID: Role.admin.id)
            try await store.save(key)
            try verify.expectEqual(try await store.apiKeys(in: org), [], "keys")
            try verify.expectEqual(try await store.revokeAPIKey(key.id, in: org, at: Fixture.time(1)), false, "revoke")
        }
    }
}
