import Foundation
import Testing
import WFACore
import WFADetection

/// The reference criteria DSL: `field OP value` joined by AND/OR with parentheses.
struct CriteriaTests {
    static let sshFailure = DetectionFixtures.artifact(
        "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user webmaster from 173.234.31.186 port 38926 ssh2"
    )

    func matches(_ text: String, _ artifact: Artifact = Self.sshFailure) throws -> Bool {
        try Criteria(parsing: text).matches(artifact)
    }

    @Test("= compares text without case, on reference (camelCase) and snake_case names alike")
    func equality() throws {
        #expect(try self.matches(#"messageType = "AUTH_FAILURE""#))
        #expect(try self.matches(#"message_type = "auth_failure""#))
        #expect(try !self.matches(#"messageType = "auth_success""#))
        #expect(try self.matches(#"messageType != "auth_success""#))
        #expect(try self.matches(#"client_ip = "173.234.31.186""#))
    }

    @Test("AND binds tighter than OR; parentheses and NOT change that")
    func precedence() throws {
        #expect(try self.matches(#"action = "nope" AND user_name = "x" OR messageType = "auth_failure""#))
        #expect(try !self.matches(#"action = "nope" AND (user_name = "x" OR messageType = "auth_failure")"#))
        #expect(try self.matches(#"NOT (action = "nope") and messageType = "auth_failure""#))
    }

    @Test("< and > compare numbers; severityLabel reads the severity as the reference product words it")
    func numbers() throws {
        var artifact = Self.sshFailure
        artifact.severityCode = .high
        artifact.serverBytes = 20_000_000_000
        #expect(try self.matches("severityCode < 3", artifact))
        #expect(try !self.matches("severityCode > 3", artifact))
        #expect(try self.matches("serverBytes > 10000000000", artifact))
        #expect(try self.matches(#"severityLabel = "High""#, artifact))
        #expect(try !self.matches("clientBytes > 1", artifact))
    }

    @Test("CONTAINS is a substring on text and an element on lists; CONTAINS_ANY takes a list")
    func contains() throws {
        var artifact = Self.sshFailure
        artifact.tags = ["eventId:4625", "HTTP_RESPONSE_CODE:401"]
        #expect(try self.matches(#"tags CONTAINS "eventId:4625""#, artifact))
        #expect(try !self.matches(#"tags CONTAINS "eventId:462""#, artifact))
        #expect(try self.matches(#"user_name CONTAINS "MASTER""#, artifact))
        #expect(try self.matches(#"tags CONTAINS_ANY ("a", "http_response_code:401")"#, artifact))
        #expect(try !self.matches(#"tags CONTAINS_ANY ["a", "b"]"#, artifact))
    }

    @Test("LIKE takes % and _ wildcards; without one it asks whether the value mentions the text")
    func like() throws {
        var artifact = Self.sshFailure
        artifact.action = "blocked-by-policy"
        artifact.streamName = "checkpoint_firewall"
        #expect(try self.matches(#"action LIKE "%block%""#, artifact))
        #expect(try self.matches(#"action LIKE "block_d%""#, artifact))
        #expect(try !self.matches(#"action LIKE "block""#.replacingOccurrences(of: "block", with: "allow"), artifact))
        #expect(try self.matches(#"streamName LIKE "checkpoint""#, artifact))
        #expect(try self.matches(#"action NOT LIKE "%allow%""#, artifact))
    }

    @Test("fields.NAME reads what the parser kept under that name")
    func extractedFields() throws {
        var artifact = Self.sshFailure
        artifact.fields["CommandLine"] = "whoami /all"
        #expect(try self.matches(#"fields.CommandLine CONTAINS "/ALL""#, artifact))
        #expect(try !self.matches(#"fields.Missing = "x""#, artifact))
    }

    @Test(
        "malformed criteria are refused with the column and what was expected",
        arguments: [
            (#"streamName = "x" AND"#, 21, "expected a field name"),
            (#"nosuchfield = "x""#, 1, "unknown field 'nosuchfield'"),
            (#"streamName ~ "x""#, 12, "unexpected character '~'"),
            (#"streamName = "x"#, 14, "not closed"),
            (#"(streamName = "x""#, 18, "expected ')'"),
            (#"severityCode < "high""#, 16, "compares numbers"),
            (#"streamName = ("a", "b")"#, 14, "use CONTAINS_ANY"),
            ("", 1, "empty"),
        ])
    func errors(text: String, column: Int, message: String) {
        do {
            _ = try Criteria(parsing: text)
            Issue.record("'\(text)' parsed")
        } catch {
            #expect(error.column == column, "\(error)")
            #expect(error.message.contains(message), "\(error)")
        }
    }
}

/// The reference product's 261 lead rules.
struct LeadRuleCatalogTests {
    @Test("every rule of the reference catalog imports, with its lead sets named, and re-importing keeps ids")
    func importsAll() throws {
        let data = try Data(contentsOf: DetectionFixtures.url("witfoo/lead_rules_catalog.json"))
        let catalog = try LeadRuleCatalog(json: data, org: "acme")
        #expect(catalog.rules.count == 261)
        #expect(catalog.problems.isEmpty, "\(catalog.problems)")
        let again = try LeadRuleCatalog(json: data, org: "acme")
        #expect(catalog.rules.map(\.id) == again.rules.map(\.id))
        let first = try #require(catalog.rules.first)
        #expect(first.id.rawValue == "catalog-1" && first.clientSetID == "1001" && first.orgID == "acme")
        let engine = DetectionEngine(leadRules: catalog.rules)
        #expect(engine.problems.isEmpty && engine.leadRuleCount == 261)
    }

    @Test("a catalog rule whose criteria do not parse is reported with its id, not dropped silently")
    func reportsBadRules() throws {
        let json = #"""
            {"lead_rules": [
              {"id": 1, "description": "good", "criteria": "messageType = \"auth_failure\"", "client_set_id": 4},
              {"id": 2, "description": "bad", "criteria": "messageType === \"x\""}
            ], "sets": {"4": "Suspicious User"}}
            """#
        let catalog = try LeadRuleCatalog(json: Data(json.utf8), org: "acme")
        #expect(catalog.rules.map(\.name) == ["good"])
        #expect(catalog.rules.first?.description == "Lead sets: Suspicious User")
        #expect(catalog.problems.count == 1)
        #expect(catalog.problems.first?.catalogID == 2)
        #expect(catalog.problems.first?.description.contains("rule 2 (bad): column") == true)
    }

    @Test("over OpenSSH_2k.log the catalog's auth-failure lead fires on every failed login, indexed or not")
    func firesOnCorpus() throws {
        let data = try Data(contentsOf: DetectionFixtures.url("witfoo/lead_rules_catalog.json"))
        var engine = DetectionEngine(leadRules: try LeadRuleCatalog(json: data, org: "default").rules)
        let artifacts = DetectionFixtures.artifacts(
            Array(try Data(contentsOf: DetectionFixtures.url("demo/OpenSSH_2k.log"))))
        var fired = 0
        for artifact in artifacts {
            let names = engine.evaluate(artifact).map(\.ruleName)
            #expect(names.contains("Authentication Failure") == (artifact.messageType == .authFailure))
            if !names.isEmpty { fired += 1 }
        }
        #expect(fired == artifacts.filter { $0.messageType == .authFailure }.count)
        #expect(fired > 0)
    }
}
