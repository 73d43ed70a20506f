import Foundation
import Testing
import WFACore
import WFAStorage
import WFATestSupport

/// `POST /api/v1/artifacts` (JSON batch and NDJSON) and `POST /api/v1/artifacts/upload`.
struct ArtifactIngestTests {
    func stored(_ server: APITestServer, org: Org.ID = "acme") async throws -> [Artifact] {
        try await server.storage.artifacts.search(ArtifactQuery(page: PageRequest(limit: 1_000)), in: org).items
    }

    func result(_ response: ParsedResponse?) throws -> [String: Any] {
        let body = try #require(response?.body)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        return try #require(json["data"] as? [String: Any])
    }

    @Test("a JSON batch stores each valid item, refuses the invalid ones by index, and keeps bytes exactly")
    func jsonBatch() async throws {
        try await APITestServer.run { server in
            let binary = Data([0x3C, 0x31, 0x33, 0x3E, 0xFF, 0xFE, 0x00, 0x41]).base64EncodedString()
            let body = """
                {"artifacts": [
                  {"source": "edge", "raw": "<38>Nov 20 10:00:00 bastion sshd[77]: Failed password for root from 203.0.113.7 port 4242 ssh2"},
                  {"source": "edge"},
                  {"source": "edge", "raw_base64": "\(binary)"}
                ]}
                """
            let response = try await server.call("POST", "/artifacts", token: server.tokens["analyst"], body: body)
            #expect(response?.status == 200)
            let data = try self.result(response)
            #expect(data["accepted"] as? Int == 2)
            #expect(data["rejected"] as? Int == 1)
            let errors = try #require(data["errors"] as? [[String: Any]])
            #expect(errors.first?["index"] as? Int == 1)
            let artifacts = try await self.stored(server)
            #expect(artifacts.count == 2)
            let ssh = try #require(artifacts.first { $0.messageType == .authFailure })
            #expect(ssh.source == "edge")
            #expect(ssh.clientIP == IPAddress("203.0.113.7"))
            #expect(ssh.userName == "root")
            #expect(artifacts.contains { $0.raw == [0x3C, 0x31, 0x33, 0x3E, 0xFF, 0xFE, 0x00, 0x41] })
            #expect(try await self.stored(server, org: "globex").isEmpty)
        }
    }

    @Test("NDJSON lines are items; a bad line is refused alone; timestamp and metadata are applied")
    func ndjson() async throws {
        try await APITestServer.run { server in
            let body = """
                {"source": "cloud", "raw": "CEF:0|Acme|Gate|1.0|100|Login failed|7|src=198.51.100.4 suser=mallory", "timestamp": "2026-11-01T08:00:00Z", "metadata": {"tenant": "eu"}}
                this line is not json
                {"raw": "plain text from nowhere"}

                """
            let response = try await server.call(
                "POST", "/artifacts", token: server.tokens["admin"], headers: ["Content-Type": "application/x-ndjson"],
                body: body)
            #expect(response?.status == 200)
            let data = try self.result(response)
            #expect(data["accepted"] as? Int == 2)
            #expect(data["rejected"] as? Int == 1)
            let artifacts = try await self.stored(server)
            let cef = try #require(artifacts.first { $0.source == "cloud" })
            #expect(cef.timestamp == TimestampFormat.date(from: "2026-11-01T08:00:00Z"))
            #expect(cef.fields["meta.tenant"] == "eu")
            #expect(cef.userName == "mallory")
            #expect(artifacts.contains { $0.source == "api" && $0.messageType == .unknown })
        }
    }

    @Test("an uploaded Zeek TSV file keeps its header context from line to line")
    func uploadZeekTSV() async throws {
        try await APITestServer.run { server in
            let file = [
                "#separator \\x09", "#path\tconn",
                "#fields\tts\tuid\tid.orig_h\tid.orig_p\tid.resp_h\tid.resp_p\tproto",
                "1700000000.000000\tC1\t10.0.0.5\t51000\t93.184.216.34\t443\ttcp",
                "1700000001.000000\tC2\t10.0.0.6\t51001\t93.184.216.35\t80\ttcp",
            ].joined(separator: "\n")
            let response = try await server.call(
                "POST", "/artifacts/upload?source=sensor1", token: server.tokens["analyst"],
                headers: ["Content-Type": "application/octet-stream"], body: file)
            #expect(response?.status == 200)
            #expect(try self.result(response)["accepted"] as? Int == 2)
            let artifacts = try await self.stored(server)
            #expect(artifacts.count == 2)
            #expect(artifacts.allSatisfy { $0.source == "file:sensor1" && $0.serverIP != nil && $0.clientPort != nil })
        }
    }

    @Test("ingesting needs signals:write; an empty request is a 400")
    func permissionsAndEmptyRequests() async throws {
        try await APITestServer.run { server in
            let body = #"{"artifacts": [{"raw": "x"}]}"#
            #expect(try await server.call("POST", "/artifacts", body: body)?.status == 401)
            #expect(
                try await server.call("POST", "/artifacts", token: server.tokens["readonly"], body: body)?.status == 403
            )
            let empty = try await server.call(
                "POST", "/artifacts", token: server.tokens["admin"], body: #"{"artifacts": []}"#)
            #expect(empty?.status == 400)
            #expect(try await self.stored(server).isEmpty)
        }
    }
}
