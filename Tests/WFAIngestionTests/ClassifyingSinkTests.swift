import Foundation
import Testing
import WFACore
import WFAIngestion
import WFAParsing
import WFAStorage

/// Classification rules applied on the way in: what is stored carries the classified stream.
struct ClassifyingSinkTests {
    @Test(
        "the first enabled rule in priority order sets stream and severity; other orgs and non-matches pass unchanged")
    func classifiesInPriorityOrder() async throws {
        let storage = Storage.inMemory()
        try await storage.rules.save([
            ClassificationRule(
                orgID: "acme", name: "root", priority: 1, criteria: #"user_name = "root""#,
                streamName: "privileged-auth",
                severityCode: .high),
            ClassificationRule(
                orgID: "acme", name: "sshd", priority: 5, criteria: #"program = "sshd""#, streamName: "ssh",
                severityCode: .medium),
            ClassificationRule(
                orgID: "acme", name: "off", priority: 0, criteria: #"program = "sshd""#, streamName: "never",
                severityCode: .critical, enabled: false),
        ])
        let sink = ClassifyingSink(rules: storage.rules, next: StorageArtifactSink(store: storage.artifacts))
        let ingestor = Ingestor(sink: sink)
        let lines = [
            "<38>Nov 20 10:00:01 bastion sshd[1]: Failed password for root from 203.0.113.9 port 4001 ssh2",
            "<38>Nov 20 10:00:02 bastion sshd[1]: Failed password for alice from 203.0.113.9 port 4002 ssh2",
            "<13>Nov 20 10:00:03 web01 cron[7]: job finished",
        ]
        for org in ["acme", "globex"] as [Org.ID] {
            var context = ParsingContext(orgID: org, source: "test")
            try await ingestor.ingest(
                lines.map { IngestMessage(bytes: Array($0.utf8), source: "test") }, receiver: "test", context: &context)
        }
        func streams(_ org: Org.ID) async throws -> [String] {
            try await storage.artifacts.search(ArtifactQuery(order: .oldestFirst), in: org).items.map(\.streamName)
        }
        let classified = try await storage.artifacts.search(ArtifactQuery(order: .oldestFirst), in: "acme").items
        #expect(classified.map(\.streamName).prefix(2) == ["privileged-auth", "ssh"])
        #expect(classified.map(\.severityCode).prefix(2) == [.high, .medium])
        let untouched = try await streams("globex")
        #expect(classified.last?.streamName == untouched.last, "a message no rule matches keeps the parser's stream")
        #expect(!untouched.contains("ssh"), "another org's rules never apply")
    }
}
