import Foundation
import Testing
import WFACore
import WFAParsing
import WFAStorage
import WFATestSupport

/// Rule CRUD with errors that say where a rule is wrong, and rule tests over stored artifacts.
struct RulesAPITests {
    static let whoami = """
        title: Whoami Execution
        id: 5b7d9d3e-1111-4a4b-9c9d-00000000a001
        status: test
        logsource:
          category: process_creation
          product: windows
        detection:
          selection:
            Image|endswith: '\\whoami.exe'
          condition: selection
        level: low
        tags:
          - attack.discovery
          - attack.t1033
        """

    func json(_ response: ParsedResponse?) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data((response?.body ?? "").utf8)) as? [String: Any]
        return try #require(json)
    }

    func data(_ response: ParsedResponse?, status: Int = 200) throws -> [String: Any] {
        #expect(response?.status == status, "\(response?.body ?? "")")
        return try #require(try self.json(response)["data"] as? [String: Any])
    }

    @Test("lead and classification rules: created, read, replaced and deleted; bad criteria get 422 with the column")
    func criteriaRules() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let created = try self.data(
                try await api.call(
                    "POST", "/lead-rules", token: token,
                    body:
                        #"{"name":"SSH brute force","criteria":"message_type = \"auth_failure\" AND program = \"sshd\"","severity":"high","attack_techniques":["T1110"]}"#
                ), status: 201)
            let id = try #require(created["id"] as? String)
            #expect(created["enabled"] as? Bool == true && created["severity"] as? String == "high")
            let stored = try #require(try await api.storage.rules.rule(LeadRule.self, id: Identifier(id), in: "acme"))
            #expect(stored.attackTechniques == ["T1110"])

            let bad = try #require(
                try await api.call(
                    "POST", "/lead-rules", token: token, body: #"{"name":"broken","criteria":"program = \"sshd\" AND"}"#
                ))
            #expect(
                bad.status == 422 && bad.body.contains("rule.invalid") && bad.body.contains("column"), "\(bad.body)")

            let replaced = try self.data(
                try await api.call(
                    "PUT", "/lead-rules/\(id)", token: token,
                    body: #"{"name":"SSH brute force","criteria":"message_type = \"auth_failure\"","enabled":false}"#))
            #expect(replaced["enabled"] as? Bool == false && replaced["id"] as? String == id)
            let listed = try self.data(try await api.call("GET", "/lead-rules", token: token))
            #expect(listed["total"] as? Int == 1)
            #expect(try await api.call("GET", "/lead-rules/\(id)", token: api.tokens["globex-admin"])?.status == 404)
            #expect(try await api.call("DELETE", "/lead-rules/\(id)", token: api.tokens["readonly"])?.status == 403)
            #expect(try await api.call("DELETE", "/lead-rules/\(id)", token: token)?.status == 200)
            #expect(try await api.call("GET", "/lead-rules/\(id)", token: token)?.status == 404)

            let classification = try self.data(
                try await api.call(
                    "POST", "/classification-rules", token: token,
                    body:
                        #"{"name":"sshd","priority":5,"criteria":"program = \"sshd\"","stream_name":"ssh","severity_code":3}"#
                ), status: 201)
            #expect(classification["stream_name"] as? String == "ssh" && classification["severity_code"] as? Int == 3)
            let badSeverity = try await api.call(
                "POST", "/classification-rules", token: token,
                body:
                    #"{"name":"x","priority":5,"criteria":"program = \"sshd\"","stream_name":"ssh","severity_code":9}"#)
            #expect(badSeverity?.status == 400)
        }
    }

    @Test("Sigma rules upload as raw YAML or JSON, keep their own id, and a broken rule gets 422 with its line")
    func sigmaRules() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let raw = try self.data(
                try await api.call(
                    "POST", "/sigma-rules", token: token, headers: ["Content-Type": "application/yaml"],
                    body: Self.whoami), status: 201)
            #expect(raw["id"] as? String == "5b7d9d3e-1111-4a4b-9c9d-00000000a001")
            #expect(raw["logsource_category"] as? String == "process_creation" && raw["level"] as? String == "low")
            let body = String(
                decoding: try JSONSerialization.data(withJSONObject: ["yaml": Self.whoami, "enabled": false]),
                as: UTF8.self)
            let again = try self.data(try await api.call("POST", "/sigma-rules", token: token, body: body), status: 201)
            #expect(again["enabled"] as? Bool == false)
            #expect(try self.data(try await api.call("GET", "/sigma-rules", token: token))["total"] as? Int == 1)

            let broken = Self.whoami.replacingOccurrences(of: "Image|endswith", with: "Image|endswithh")
            let refused = try #require(
                try await api.call(
                    "POST", "/sigma-rules", token: token, headers: ["Content-Type": "application/yaml"], body: broken))
            #expect(refused.status == 422 && refused.body.contains("line 9"), "\(refused.body)")
            let garbage = try await api.call(
                "POST", "/sigma-rules", token: token, headers: ["Content-Type": "application/yaml"],
                body: "title: [unclosed\n")
            #expect(garbage?.status == 422, "\(garbage?.body ?? "")")
        }
    }

    @Test("a rule test runs a draft or stored rule over stored artifacts and returns what it matched")
    func ruleTest() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let now = Date()
            var context = ParsingContext(orgID: "acme", source: "test", receivedAt: now)
            let parser = LogParser()
            let lines = [
                "<38>Nov 20 10:00:01 bastion sshd[1]: Failed password for root from 203.0.113.9 port 4001 ssh2",
                "<38>Nov 20 10:00:02 bastion sshd[1]: Failed password for invalid user admin from 203.0.113.9 port 4002 ssh2",
                "<38>Nov 20 10:00:03 bastion sshd[1]: Accepted password for alice from 10.0.0.5 port 4003 ssh2",
            ]
            var artifacts = lines.map { parser.parse(Array($0.utf8), context: &context).artifact }
            for index in artifacts.indices { artifacts[index].timestamp = now.addingTimeInterval(Double(index - 60)) }
            try await api.storage.artifacts.append(artifacts)

            let draft = try self.data(
                try await api.call(
                    "POST", "/rules/test", token: token,
                    body: #"{"kind":"lead","criteria":"message_type = \"auth_failure\"","limit":1}"#))
            #expect(draft["scanned"] as? Int == 3 && draft["matched"] as? Int == 2)
            #expect((draft["matches"] as? [[String: Any]])?.count == 1)
            #expect(draft["truncated"] as? Bool == false)

            let capped = try self.data(
                try await api.call(
                    "POST", "/rules/test", token: token,
                    body: #"{"kind":"classification","criteria":"program = \"sshd\"","scan_limit":2}"#))
            #expect(capped["scanned"] as? Int == 2 && capped["truncated"] as? Bool == true)

            let stored = LeadRule(
                orgID: "acme", name: "Accepted", criteria: #"message_type = "auth_success""#, enabled: false)
            try await api.storage.rules.save([stored])
            let byID = try self.data(
                try await api.call(
                    "POST", "/rules/test", token: token, body: #"{"kind":"lead","rule_id":"\#(stored.id)"}"#))
            #expect(byID["matched"] as? Int == 1, "a switched-off rule is tested as if on")

            let sigma = String(
                decoding: try JSONSerialization.data(withJSONObject: [
                    "kind": "sigma",
                    "yaml": """
                    title: sshd failures
                    logsource: {product: linux, service: sshd}
                    detection:
                      keywords: ['Failed password']
                      condition: keywords
                    """,
                ]), as: UTF8.self)
            let sigmaResult = try self.data(try await api.call("POST", "/rules/test", token: token, body: sigma))
            #expect(sigmaResult["matched"] as? Int == 2, "\(sigmaResult)")

            let empty = try self.data(
                try await api.call(
                    "POST", "/rules/test", token: api.tokens["globex-admin"],
                    body: #"{"kind":"lead","criteria":"message_type = \"auth_failure\""}"#))
            #expect(empty["scanned"] as? Int == 0, "another org's artifacts are never read")
            let both = try await api.call(
                "POST", "/rules/test", token: token, body: #"{"kind":"lead","criteria":"a = 1","yaml":"x"}"#)
            #expect(both?.status == 400)
            let broken = try await api.call(
                "POST", "/rules/test", token: token, body: #"{"kind":"lead","criteria":"a = "}"#)
            #expect(broken?.status == 422)
        }
    }
}
