import Foundation
import Testing
import WFAAPI
import WFACore
import WFAStorage
import WFATestSupport

struct AccountManagementTests {
    static func json(_ body: String) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
    }

    @Test("an API key is shown once at creation, works with its role, and is stored only as a hash")
    func apiKeyLifecycle() async throws {
        try await APITestServer.run { api in
            let admin = api.tokens["admin"]
            let created = try #require(
                try await api.call("POST", "/api-keys", token: admin, body: #"{"name":"soar","role_id":"auditor"}"#))
            #expect(created.status == 201)
            let data = try #require(try Self.json(created.body)["data"] as? [String: Any])
            let secret = try #require(data["key"] as? String)
            let keyID = try #require((data["api_key"] as? [String: Any])?["id"] as? String)
            let stored = try #require(
                try await api.storage.directory.apiKeys(in: "acme").first { $0.id.rawValue == keyID })
            #expect(stored.secretHash != secret && !stored.secretHash.contains(secret))
            let listed = try #require(try await api.call("GET", "/api-keys", token: admin))
            #expect(!listed.body.contains(secret), "the secret is never listed")
            let read = try #require(try await api.call("GET", "/users", headers: ["X-API-Key": secret]))
            #expect(read.status == 200)
            _ = try await api.call("DELETE", "/api-keys/\(keyID)", token: admin)
            let after = try #require(try await api.call("GET", "/users", headers: ["X-API-Key": secret]))
            #expect(after.status == 401)
        }
    }

    @Test("your own password changes only with the current one; an admin may reset others'")
    func passwordChanges() async throws {
        try await APITestServer.run { api in
            let analyst = try #require(try await api.storage.directory.user(email: "analyst@acme.example"))
            let wrong = try #require(
                try await api.call(
                    "PUT", "/users/\(analyst.id)/password", token: api.tokens["analyst"],
                    body: #"{"current_password":"not it","new_password":"a fresh long passphrase"}"#))
            #expect(wrong.status == 403)
            let other = try #require(try await api.storage.directory.user(email: "auditor@acme.example"))
            let notYours = try #require(
                try await api.call(
                    "PUT", "/users/\(other.id)/password", token: api.tokens["analyst"],
                    body: #"{"new_password":"a fresh long passphrase"}"#))
            #expect(notYours.status == 403)
            let reset = try #require(
                try await api.call(
                    "PUT", "/users/\(other.id)/password", token: api.tokens["admin"],
                    body: #"{"new_password":"a fresh long passphrase"}"#))
            #expect(reset.status == 200)
            let login = try #require(
                try await api.call(
                    "POST", "/auth/login",
                    body: #"{"email":"auditor@acme.example","password":"a fresh long passphrase"}"#))
            #expect(login.status == 200)
        }
    }

    @Test("built-in roles cannot change, a held custom role cannot be deleted, and admins cannot delete themselves")
    func guardedChanges() async throws {
        try await APITestServer.run { api in
            let admin = api.tokens["admin"]
            let builtIn = try #require(
                try await api.call(
                    "PUT", "/roles/admin", token: admin, body: #"{"name":"Mine","permissions":["graph:read"]}"#))
            #expect(builtIn.status == 409)
            let created = try #require(
                try await api.call(
                    "POST", "/roles", token: admin, body: #"{"name":"Triage","permissions":["incidents:write"]}"#))
            let roleID = try #require((try Self.json(created.body)["data"] as? [String: Any])?["id"] as? String)
            let user = try #require(try await api.storage.directory.user(email: "readonly@acme.example"))
            let assigned = try #require(
                try await api.call("PUT", "/users/\(user.id)", token: admin, body: #"{"role_id":"\#(roleID)"}"#))
            #expect(assigned.status == 200)
            let held = try #require(try await api.call("DELETE", "/roles/\(roleID)", token: admin))
            #expect(held.status == 409)
            let me = try #require(try await api.storage.directory.user(email: "admin@acme.example"))
            let selfDelete = try #require(try await api.call("DELETE", "/users/\(me.id)", token: admin))
            #expect(selfDelete.status == 409)
            let disabled = try #require(
                try await api.call("PUT", "/users/\(user.id)", token: admin, body: #"{"disabled":true}"#))
            #expect(disabled.status == 200)
            let signIn = try #require(
                try await api.call(
                    "POST", "/auth/login",
                    body: #"{"email":"readonly@acme.example","password":"\#(APITestServer.password)"}"#))
            #expect(signIn.status == 401, "a disabled account cannot sign in")
            let stale = try #require(try await api.call("GET", "/auth/me", token: api.tokens["readonly"]))
            #expect(stale.status == 401, "a disabled account's token stops working at once")
        }
    }
}
