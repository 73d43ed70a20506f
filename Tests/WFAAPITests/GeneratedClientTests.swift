import Foundation
import Testing
import WFAClient
import WFATestSupport

/// The generated Swift client, generated from the same document, works against the live server.
struct GeneratedClientTests {
    @Test("the generated client signs in, lists users and creates an API key")
    func clientRoundTrip() async throws {
        try await APITestServer.run { api in
            let server = try #require(URL(string: "http://127.0.0.1:\(api.client.port)"))
            let anonymous = try Client.wfa(server: server, credential: nil)
            guard case .ok(let status) = try await anonymous.getStatus() else { Issue.record("status failed"); return }
            #expect(try status.body.json.data.version == "test")
            let login = try await anonymous.login(
                body: .json(.init(email: "admin@acme.example", password: APITestServer.password)))
            guard case .ok(let signedIn) = login else { Issue.record("login failed: \(login)"); return }
            let token = try signedIn.body.json.data.token
            let client = try Client.wfa(server: server, credential: .bearer(token))
            guard case .ok(let users) = try await client.listUsers(query: .init(limit: 100)) else {
                Issue.record("listUsers failed")
                return
            }
            #expect(try users.body.json.data.total == 6)
            let created = try await client.createApiKey(body: .json(.init(name: "ci", roleId: "readonly")))
            guard case .created(let key) = created else { Issue.record("createApiKey failed: \(created)"); return }
            let withKey = try Client.wfa(server: server, credential: .apiKey(try key.body.json.data.key))
            guard case .ok(let me) = try await withKey.getCurrentUser() else { Issue.record("me failed"); return }
            #expect(try me.body.json.data.roleId == "readonly")
            guard case .unauthorized = try await anonymous.listUsers() else { Issue.record("expected 401"); return }
        }
    }
}
