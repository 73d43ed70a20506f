import Foundation
import Testing
import WFAAPI
import WFACore
import WFAStorage
import WFATestSupport

/// Every operation of the document, called as every built-in role and anonymously, answers exactly
/// 2xx, 401 or 403 as its `x-permission` says.
struct PermissionMatrixTests {
    /// A valid request for each operation, with the records its path names created first.
    /// An operation added to the document without a sample here fails the matrix, so the matrix
    /// always covers the whole document.
    static func sample(for operationID: String, caller: String?, api: APITestServer) async throws -> (
        path: String, body: String?
    )? {
        let directory = api.storage.directory
        func freshUser() async throws -> User {
            let user = User(
                orgID: "acme", email: "fixture-\(UUID().uuidString.prefix(8))@acme.example", displayName: "Fixture",
                roleID: Role.readOnly.id, passwordHash: try APITestServer.hasher.hash(APITestServer.password))
            try await directory.save(user)
            return user
        }
        func freshRole() async throws -> Role {
            let role = Role(id: .random(), orgID: "acme", name: "Fixture", permissions: [Permission(.graph, .read)])
            try await directory.save(role)
            return role
        }
        func freshIncident() async throws -> Incident {
            let incident = Incident(
                orgID: "acme", title: "Authentication Failure from 203.0.113.9", severity: .medium,
                firstObservedAt: Date(), lastObservedAt: Date())
            try await api.storage.incidents.save([incident])
            return incident
        }
        func freshWorkUnit() async throws -> WorkUnit {
            let unit = WorkUnit(orgID: "acme", incidentID: try await freshIncident().id, title: "Reset password")
            try await api.storage.incidents.save([unit])
            return unit
        }
        func freshLeadRule() async throws -> LeadRule {
            let rule = LeadRule(orgID: "acme", name: "r", criteria: #"program = "sshd""#)
            try await api.storage.rules.save([rule])
            return rule
        }
        func freshChannel() async throws -> NotificationChannel {
            // Port 9 (discard) on loopback: a test send fails fast and is recorded as failed.
            let channel = NotificationChannel(
                orgID: "acme", name: "hook", kind: .webhook, url: try #require(URL(string: "http://127.0.0.1:9/hook")),
                signingSecret: "0123456789abcdef")
            try await api.storage.notifications.save(channel)
            return channel
        }
        switch operationID {
        case "getStatus": return ("/status", nil)
        case "getMetrics": return ("/metrics", nil)
        case "getCurrentUser": return ("/auth/me", nil)
        case "listUsers": return ("/users", nil)
        case "listRoles": return ("/roles", nil)
        case "listApiKeys": return ("/api-keys", nil)
        case "getRetention": return ("/settings/retention", nil)
        case "getDashboard": return ("/dashboard?hours=1", nil)
        case "login":
            return ("/auth/login", #"{"email":"analyst@acme.example","password":"\#(APITestServer.password)"}"#)
        case "createUser":
            return (
                "/users",
                #"{"email":"new-\#(UUID().uuidString.prefix(8))@acme.example","display_name":"New","role_id":"readonly","password":"another long passphrase"}"#
            )
        case "getUser": return ("/users/\(try await freshUser().id)", nil)
        case "updateUser": return ("/users/\(try await freshUser().id)", #"{"display_name":"Renamed"}"#)
        case "deleteUser": return ("/users/\(try await freshUser().id)", nil)
        case "setUserPassword":
            let own = try await directory.user(email: "\(caller ?? "readonly")@acme.example")
            let id = try #require(own).id
            return (
                "/users/\(id)/password",
                #"{"current_password":"\#(APITestServer.password)","new_password":"\#(APITestServer.password)"}"#
            )
        case "createRole": return ("/roles", #"{"name":"Triage","permissions":["incidents:write","graph:read"]}"#)
        case "updateRole":
            return ("/roles/\(try await freshRole().id)", #"{"name":"Renamed","permissions":["graph:read"]}"#)
        case "deleteRole": return ("/roles/\(try await freshRole().id)", nil)
        case "createApiKey": return ("/api-keys", #"{"name":"soar","role_id":"readonly"}"#)
        case "revokeApiKey":
            let key = APIKey(
                orgID: "acme", name: "fixture", prefix: "wfa_fixture", secretHash: "sha256:\(UUID())",
                roleID: Role.readOnly.id)
            try await directory.save(key)
            return ("/api-keys/\(key.id)", nil)
        case "ingestArtifacts":
            return ("/artifacts", #"{"artifacts":[{"source":"matrix","raw":"<13>Nov 20 10:00:00 host app: hello"}]}"#)
        case "uploadArtifacts":
            return ("/artifacts/upload?source=matrix", "<13>Nov 20 10:00:00 host app: uploaded")
        case "searchArtifacts": return ("/artifacts?entity=ip:203.0.113.9&limit=5", nil)
        case "getArtifact": return ("/artifacts/\(try await GraphFixture.seed(api.storage).artifact.id)", nil)
        case "listNodes": return ("/nodes?type=ip", nil)
        case "getNode": return ("/nodes/\(try await GraphFixture.seed(api.storage).attacker)", nil)
        case "setNodeFlags":
            return (
                "/nodes/\(try await GraphFixture.seed(api.storage).attacker)/flags",
                #"{"managed":false,"internal":false,"trusted":false,"infrastructure":false}"#
            )
        case "listEdges": return ("/edges?node=\(try await GraphFixture.seed(api.storage).attacker)", nil)
        case "getEdge":
            let edge = try await GraphFixture.seed(api.storage).edge.rawValue
            return ("/edges/\(edge.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? edge)", nil)
        case "getNeighborhood":
            return ("/graph/neighborhood?node=\(try await GraphFixture.seed(api.storage).attacker)&depth=2", nil)
        case "getPath":
            let seeded = try await GraphFixture.seed(api.storage)
            return ("/graph/path?from=\(seeded.attacker)&to=\(seeded.host)", nil)
        case "listIncidents": return ("/incidents?status=1,2&min_severity=low", nil)
        case "getIncident": return ("/incidents/\(try await freshIncident().id)", nil)
        case "changeIncidentStatus": return ("/incidents/\(try await freshIncident().id)/status", #"{"status":2}"#)
        case "assignIncident":
            return (
                "/incidents/\(try await freshIncident().id)/assign", #"{"assignee":"\#(try await freshUser().id)"}"#
            )
        case "addIncidentNote": return ("/incidents/\(try await freshIncident().id)/notes", #"{"text":"checked"}"#)
        case "getIncidentTimeline": return ("/incidents/\(try await freshIncident().id)/timeline", nil)
        case "listWorkUnits": return ("/incidents/\(try await freshIncident().id)/work-units", nil)
        case "createWorkUnit":
            return ("/incidents/\(try await freshIncident().id)/work-units", #"{"title":"Block the address"}"#)
        case "getWorkUnit": return ("/work-units/\(try await freshWorkUnit().id)", nil)
        case "updateWorkUnit":
            return ("/work-units/\(try await freshWorkUnit().id)", #"{"status":"complete","add_seconds":60}"#)
        case "deleteWorkUnit": return ("/work-units/\(try await freshWorkUnit().id)", nil)
        case "listLeadRules": return ("/lead-rules", nil)
        case "createLeadRule": return ("/lead-rules", #"{"name":"r","criteria":"program = \"sshd\""}"#)
        case "getLeadRule": return ("/lead-rules/\(try await freshLeadRule().id)", nil)
        case "updateLeadRule":
            return ("/lead-rules/\(try await freshLeadRule().id)", #"{"name":"r","criteria":"program = \"su\""}"#)
        case "deleteLeadRule": return ("/lead-rules/\(try await freshLeadRule().id)", nil)
        case "listClassificationRules": return ("/classification-rules", nil)
        case "createClassificationRule", "updateClassificationRule", "getClassificationRule",
            "deleteClassificationRule":
            let rule = ClassificationRule(
                orgID: "acme", name: "c", priority: 1, criteria: #"program = "sshd""#, streamName: "ssh",
                severityCode: .medium)
            try await api.storage.rules.save([rule])
            let body =
                #"{"name":"c","priority":1,"criteria":"program = \"sshd\"","stream_name":"ssh","severity_code":3}"#
            return operationID == "createClassificationRule"
                ? ("/classification-rules", body)
                : ("/classification-rules/\(rule.id)", operationID == "updateClassificationRule" ? body : nil)
        case "listSigmaRules": return ("/sigma-rules", nil)
        case "createSigmaRule", "updateSigmaRule", "getSigmaRule", "deleteSigmaRule":
            let yaml = "title: t\nlogsource: {product: linux}\ndetection:\n  k: [x]\n  condition: k\n"
            let rule = SigmaRule(id: .random(), orgID: "acme", name: "t", yaml: yaml)
            try await api.storage.rules.save([rule])
            let body = String(decoding: try JSONSerialization.data(withJSONObject: ["yaml": yaml]), as: UTF8.self)
            return operationID == "createSigmaRule"
                ? ("/sigma-rules", body)
                : ("/sigma-rules/\(rule.id)", operationID == "updateSigmaRule" ? body : nil)
        case "testRule": return ("/rules/test", #"{"kind":"lead","criteria":"program = \"sshd\""}"#)
        case "listNotificationChannels": return ("/notification-channels", nil)
        case "createNotificationChannel":
            return ("/notification-channels", #"{"name":"hook","kind":"webhook","url":"http://127.0.0.1:9/hook"}"#)
        case "deleteNotificationChannel": return ("/notification-channels/\(try await freshChannel().id)", nil)
        case "testNotificationChannel": return ("/notification-channels/\(try await freshChannel().id)/test", nil)
        case "listNotificationRules": return ("/notification-rules", nil)
        case "createNotificationRule":
            return (
                "/notification-rules",
                #"{"name":"r","channel_id":"\#(try await freshChannel().id)","events":["incident.created"]}"#
            )
        case "deleteNotificationRule":
            let rule = NotificationRule(
                orgID: "acme", name: "r", channelID: try await freshChannel().id, events: [.created])
            #expect(try await api.storage.notifications.save(rule))
            return ("/notification-rules/\(rule.id)", nil)
        case "listNotificationDeliveries": return ("/notification-deliveries", nil)
        case "listObservations": return ("/observations?node_id=ip:203.0.113.9", nil)
        case "createObservation": return ("/observations", #"{"text":"seen on the proxy","node_id":"ip:203.0.113.9"}"#)
        case "listDeadLetters": return ("/bus/dead-letters", nil)
        case "replayDeadLetter": return ("/bus/dead-letters/\(try await api.deadLetter(in: "acme"))/replay", nil)
        case "setRetention":
            return (
                "/settings/retention",
                #"{"artifacts_days":7,"graph_days":7,"work_units_days":365,"incidents_days":365,"reports_days":1825}"#
            )
        default: return nil
        }
    }

    /// Operations whose body is not JSON.
    static let contentTypes = ["uploadArtifacts": "application/octet-stream"]

    static let callers: [String?] = [nil] + Role.builtIn.map(\.id.rawValue)

    @Test("every operation answers 2xx, 401 or 403 exactly as its x-permission says", arguments: callers)
    func permissionMatrix(caller: String?) async throws {
        try await APITestServer.run { api in
            for (operationID, route) in APIApplication.operationRoutes.sorted(by: { $0.key < $1.key }) {
                let requirement = try #require(APIApplication.operationPermissions[operationID])
                let sample = try #require(
                    try await Self.sample(for: operationID, caller: caller, api: api),
                    "no sample request for \(operationID)")
                let token = caller.flatMap { api.tokens[$0] }
                let headers = Self.contentTypes[operationID].map { ["Content-Type": $0] } ?? [:]
                let response = try #require(
                    try await api.call(route.method, sample.path, token: token, headers: headers, body: sample.body))
                let expected: ClosedRange<Int>
                switch requirement {
                case "none":
                    expected = 200...299
                case "authenticated":
                    expected = caller == nil ? 401...401 : 200...299
                default:
                    let permission = try #require(Permission(requirement), "\(operationID) declares \(requirement)")
                    let role = Role.builtIn.first { $0.id.rawValue == caller }
                    if caller == nil {
                        expected = 401...401
                    } else {
                        expected = role?.permissions.grants(permission) == true ? 200...299 : 403...403
                    }
                }
                #expect(
                    expected.contains(response.status),
                    "\(operationID) as \(caller ?? "anonymous"): \(response.status) \(response.body)")
                if !(200...299).contains(response.status) {
                    #expect(response.body.contains(#""success":false"#), "error envelope for \(operationID)")
                }
            }
        }
    }

    @Test("a token of one org never reads another org's users")
    func orgsAreIsolated() async throws {
        try await APITestServer.run { api in
            let response = try #require(
                try await api.call("GET", "/users?limit=100", token: api.tokens["globex-admin"]))
            #expect(response.status == 200)
            #expect(response.body.contains("admin@globex.example"))
            #expect(!response.body.contains("acme.example"))
        }
    }

    @Test("tampered, expired and foreign tokens are refused with 401")
    func badTokensAreRefused() async throws {
        try await APITestServer.run { api in
            let good = try #require(api.tokens["admin"])
            var tampered = Array(good)
            tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
            let foreign = TokenSigner(secret: Secret(String(repeating: "z", count: 48)))
            let admin = try #require(try await api.storage.directory.user(email: "admin@acme.example"))
            let expired = try api.signer.sign(
                user: admin, permissions: [.admin], now: Date(timeIntervalSinceNow: -86_400)
            ).token
            for token in [
                String(tampered), try foreign.sign(user: admin, permissions: [.admin]).token, expired, "garbage",
            ] {
                let response = try #require(try await api.call("GET", "/auth/me", token: token))
                #expect(response.status == 401)
            }
        }
    }

    @Test("API keys authenticate with their role's permissions until revoked")
    func apiKeysWorkUntilRevoked() async throws {
        try await APITestServer.run { api in
            let secret = "wfa_" + UUID().uuidString
            let key = APIKey(
                orgID: "acme", name: "soar", prefix: String(secret.prefix(8)),
                secretHash: Authenticator.hash(apiKey: secret),
                roleID: Role.auditor.id)
            try await api.storage.directory.save(key)
            let allowed = try #require(try await api.call("GET", "/settings/retention", headers: ["X-API-Key": secret]))
            #expect(allowed.status == 200)
            let denied = try #require(
                try await api.call(
                    "PUT", "/settings/retention", headers: ["X-API-Key": secret],
                    body:
                        #"{"artifacts_days":7,"graph_days":7,"work_units_days":365,"incidents_days":365,"reports_days":1825}"#
                ))
            #expect(denied.status == 403)
            _ = try await api.storage.directory.revokeAPIKey(key.id, in: "acme", at: Date())
            let revoked = try #require(try await api.call("GET", "/settings/retention", headers: ["X-API-Key": secret]))
            #expect(revoked.status == 401)
        }
    }

    @Test("sign-in: right password gives a working token, wrong ones are throttled per account")
    func loginAndThrottling() async throws {
        try await APITestServer.run { api in
            let login = #"{"email":"ANALYST@acme.example","password":"\#(APITestServer.password)"}"#
            let signedIn = try #require(try await api.call("POST", "/auth/login", body: login))
            #expect(signedIn.status == 200)
            let wrong = #"{"email":"reporter@acme.example","password":"nope"}"#
            var statuses: [Int] = []
            for _ in 0..<7 {
                statuses.append(try #require(try await api.call("POST", "/auth/login", body: wrong)).status)
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == 401 })
            #expect(statuses.suffix(2).allSatisfy { $0 == 429 })
            let unknown = try #require(
                try await api.call("POST", "/auth/login", body: #"{"email":"ghost@acme.example","password":"x"}"#))
            #expect(unknown.status == 401)
        }
    }

    @Test("malformed requests get 400 with the error envelope, unknown routes 404")
    func malformedRequests() async throws {
        try await APITestServer.run { api in
            let token = api.tokens["admin"]
            let badJSON = try #require(try await api.call("POST", "/users", token: token, body: "{nope"))
            #expect(badJSON.status == 400)
            #expect(badJSON.body.contains(#""code":"request.invalid""#))
            let badLimit = try #require(try await api.call("GET", "/users?limit=0", token: token))
            #expect(badLimit.status == 400)
            let missing = try #require(try await api.call("GET", "/nothing-here", token: token))
            #expect(missing.status == 404)
            let duplicate =
                #"{"email":"admin@acme.example","display_name":"Dup","role_id":"admin","password":"long enough password"}"#
            let conflict = try #require(try await api.call("POST", "/users", token: token, body: duplicate))
            #expect(conflict.status == 409)
        }
    }
}
