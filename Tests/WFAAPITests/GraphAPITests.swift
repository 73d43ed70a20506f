import Foundation
import Testing
import WFACore
import WFAGraph
import WFAParsing
import WFAStorage
import WFATestSupport

/// Artifacts as the pipeline leaves them (stored and graphed) in org `acme`.
enum GraphFixture {
    struct Seeded {
        var artifact: Artifact
        var attacker: Node.ID
        var host: Node.ID
        var edge: Edge.ID
    }

    static let lines = [
        "Nov 20 10:00:00 web01 sshd[42]: Failed password for root from 203.0.113.9 port 4000 ssh2",
        "Nov 20 10:00:01 web01 sshd[42]: Failed password for admin from 203.0.113.9 port 4001 ssh2",
        "Nov 20 10:00:05 web01 sshd[43]: Accepted password for alice from 10.1.2.3 port 5555 ssh2",
        "Nov 20 10:01:00 db01 sshd[50]: Accepted password for alice from 10.1.2.3 port 5600 ssh2",
    ]

    /// Parses, stores and graphs `lines`; idempotent, so every caller may seed again.
    @discardableResult
    static func seed(_ storage: Storage) async throws -> Seeded {
        var context = ParsingContext(orgID: "acme", source: "fixture")
        let parser = LogParser()
        let artifacts = self.lines.enumerated().map { index, line in
            var artifact = parser.parse(Array(line.utf8), context: &context).artifact
            artifact.id = Artifact.ID("graph-fixture-\(index)")
            return artifact
        }
        try await storage.artifacts.append(artifacts)
        try await storage.graph.apply(artifacts.map(GraphProjection().delta(for:)))
        let attacker = Node.ID(entity: EntityKey(type: .ip, value: "203.0.113.9"))
        let host = Node.ID(entity: EntityKey(type: .host, value: "web01"))
        return Seeded(
            artifact: artifacts[0], attacker: attacker, host: host,
            edge: Edge.ID(from: attacker, .communicatesWith, to: host))
    }
}

/// The graph and artifact search endpoints, over what the graph-processor writes.
struct GraphAPITests {
    func data(_ response: ParsedResponse?) throws -> [String: Any] {
        #expect(response?.status == 200, "\(response?.body ?? "")")
        let body = try #require(response?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        return try #require(json["data"] as? [String: Any])
    }

    @Test("artifacts are found by entity, type and text, newest first, and read back with their raw message")
    func searchArtifacts() async throws {
        try await APITestServer.run { api in
            try await GraphFixture.seed(api.storage)
            let token = api.tokens["analyst"]
            let byEntity = try self.data(try await api.call("GET", "/artifacts?entity=user:alice", token: token))
            let items = try #require(byEntity["items"] as? [[String: Any]])
            #expect(byEntity["total"] as? Int == 2)
            #expect(items.map { $0["server_hostname"] as? String } == ["db01", "web01"])
            #expect((items.first?["raw_text"] as? String)?.hasPrefix("Nov 20 10:01:00 db01") == true)

            let failures = try self.data(
                try await api.call("GET", "/artifacts?message_type=auth_failure&q=ADMIN", token: token))
            #expect(failures["total"] as? Int == 1)

            let one = try self.data(try await api.call("GET", "/artifacts/graph-fixture-0", token: token))
            #expect(one["client_ip"] as? String == "203.0.113.9")
            #expect(one["raw"] as? String == Data(GraphFixture.lines[0].utf8).base64EncodedString())

            // Times in queries may come with or without fractions of a second.
            let since = try self.data(
                try await api.call(
                    "GET", "/artifacts?from=2020-01-01T00:00:00Z&to=2099-01-01T00:00:00.5%2B02:00", token: token))
            #expect(since["total"] as? Int == 4)
            let later = try self.data(try await api.call("GET", "/artifacts?from=2099-01-01T00:00:00Z", token: token))
            #expect(later["total"] as? Int == 0)

            let missing = try await api.call("GET", "/artifacts/nope", token: token)
            #expect(missing?.status == 404)
            let bad = try await api.call("GET", "/artifacts?entity=nocolon", token: token)
            #expect(bad?.status == 400)
        }
    }

    @Test("nodes list by type and flag, carry their counts, and an analyst can flag one")
    func nodes() async throws {
        try await APITestServer.run { api in
            try await GraphFixture.seed(api.storage)
            let token = api.tokens["analyst"]
            let ips = try self.data(try await api.call("GET", "/nodes?type=ip", token: token))
            let values = try #require(ips["items"] as? [[String: Any]]).compactMap { $0["value"] as? String }
            #expect(values == ["10.1.2.3", "203.0.113.9"])
            let internalOnly = try self.data(try await api.call("GET", "/nodes?flags=internal", token: token))
            #expect(
                try #require(internalOnly["items"] as? [[String: Any]]).compactMap { $0["value"] as? String }
                    == ["10.1.2.3"])

            let attacker = try self.data(try await api.call("GET", "/nodes/ip:203.0.113.9", token: token))
            #expect(attacker["artifact_count"] as? Int == 2)
            #expect(attacker["edge_count"] as? Int == 3)

            let flagged = try self.data(
                try await api.call(
                    "PUT", "/nodes/ip:203.0.113.9/flags", token: token,
                    body: #"{"managed":false,"internal":false,"trusted":true,"infrastructure":false}"#))
            #expect((flagged["flags"] as? [String: Any])?["trusted"] as? Bool == true)
            let readOnly = try await api.call(
                "PUT", "/nodes/ip:203.0.113.9/flags", token: api.tokens["readonly"],
                body: #"{"managed":false,"internal":false,"trusted":false,"infrastructure":false}"#)
            #expect(readOnly?.status == 403)
            #expect(try await api.call("GET", "/nodes?flags=shiny", token: token)?.status == 400)
        }
    }

    @Test("edges of a node, one edge by id, a neighborhood and a shortest path")
    func edgesAndWalks() async throws {
        try await APITestServer.run { api in
            let seeded = try await GraphFixture.seed(api.storage)
            let token = api.tokens["analyst"]
            let edges = try self.data(
                try await api.call("GET", "/edges?node=user:alice&direction=outgoing", token: token))
            let targets = try #require(edges["items"] as? [[String: Any]]).compactMap { $0["target_id"] as? String }
            #expect(Set(targets) == ["host:web01", "host:db01"])

            let id = try #require(seeded.edge.rawValue.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            let edge = try self.data(try await api.call("GET", "/edges/\(id)", token: token))
            #expect(edge["artifact_count"] as? Int == 2)
            #expect(edge["type"] as? String == "communicates_with")

            let near = try self.data(
                try await api.call("GET", "/graph/neighborhood?node=ip:203.0.113.9&depth=1", token: token))
            let nearNodes = try #require(near["nodes"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(Set(nearNodes) == ["ip:203.0.113.9", "host:web01", "user:root", "user:admin"])
            #expect(near["truncated"] as? Bool == false)
            let wide = try self.data(
                try await api.call("GET", "/graph/neighborhood?node=ip:203.0.113.9&depth=3&limit=3", token: token))
            #expect((wide["nodes"] as? [Any])?.count == 3)
            #expect(wide["truncated"] as? Bool == true)

            // The attacker reaches db01 through web01, where alice also logged in.
            let path = try self.data(
                try await api.call("GET", "/graph/path?from=ip:203.0.113.9&to=host:db01", token: token))
            let hops = try #require(path["nodes"] as? [[String: Any]]).compactMap { $0["id"] as? String }
            #expect(hops.first == "ip:203.0.113.9")
            #expect(hops.last == "host:db01")
            #expect(hops.count == 4)
            #expect((path["edges"] as? [Any])?.count == 3)
            let none = try await api.call(
                "GET", "/graph/path?from=ip:203.0.113.9&to=host:db01&max_depth=1", token: token)
            #expect(none?.status == 404)
            #expect(none?.body.contains("graph.no_path") == true)
        }
    }

    @Test("another org sees none of it")
    func orgIsolation() async throws {
        try await APITestServer.run { api in
            try await GraphFixture.seed(api.storage)
            let token = api.tokens["globex-admin"]
            #expect(try await api.call("GET", "/nodes/ip:203.0.113.9", token: token)?.status == 404)
            let artifacts = try self.data(try await api.call("GET", "/artifacts", token: token))
            #expect(artifacts["total"] as? Int == 0)
            let near = try await api.call("GET", "/graph/neighborhood?node=ip:203.0.113.9", token: token)
            #expect(near?.status == 404)
        }
    }
}
