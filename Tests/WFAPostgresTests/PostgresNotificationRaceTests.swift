import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

/// A notification rule saved while its channel is being deleted must not outlive the channel.
/// Another connection holds the racing step open in a transaction, so the order is fixed.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs scripts/services.sh start"))
struct PostgresNotificationRaceTests {
    static let org = Org.ID("race")

    static func channel() throws -> NotificationChannel {
        NotificationChannel(
            orgID: Self.org, name: "soar", kind: .webhook, url: try #require(URL(string: "https://soar.example/hook")))
    }

    static func rule(for channel: NotificationChannel) -> NotificationRule {
        NotificationRule(orgID: Self.org, name: "all", channelID: channel.id, events: [.created])
    }

    @Test("a rule saved while the channel's deletion is uncommitted waits, then is refused")
    func ruleAfterDeletion() async throws {
        try await TestDatabase.withFreshDatabase(maximumConnections: 3) { database, url in
            let store = database.storage.notifications
            let channel = try Self.channel()
            try await store.save(channel)
            let other = try LibPQConnection(conninfo: url)
            try other.query("BEGIN")
            try other.query(
                "DELETE FROM notification_config WHERE org_id = $1 AND kind = 'channel' AND id = $2",
                [Self.org.rawValue, channel.id.rawValue])
            let saving = Task { try await store.save(Self.rule(for: channel)) }
            try await Task.sleep(for: .milliseconds(300))
            try other.query("COMMIT")
            #expect(try await saving.value == false)
            #expect(try await store.rules(in: Self.org).isEmpty)
        }
    }

    @Test("a channel deleted while a rule's save is uncommitted waits, then takes the rule with it")
    func deletionAfterRule() async throws {
        try await TestDatabase.withFreshDatabase(maximumConnections: 3) { database, url in
            let store = database.storage.notifications
            let channel = try Self.channel()
            try await store.save(channel)
            let rule = Self.rule(for: channel)
            // What `save(_:)` does, held open: the channel row share-locked, the rule written.
            let other = try LibPQConnection(conninfo: url)
            try other.query("BEGIN")
            try other.query(
                "SELECT 1 FROM notification_config WHERE org_id = $1 AND kind = 'channel' AND id = $2 FOR KEY SHARE",
                [Self.org.rawValue, channel.id.rawValue])
            try other.query(
                "INSERT INTO notification_config (org_id, kind, id, name, doc) VALUES ($1, 'rule', $2, $3, $4)",
                [Self.org.rawValue, rule.id.rawValue, rule.name, try DocumentCoding.encode(rule)])
            let deleting = Task { try await store.deleteChannel(channel.id, in: Self.org) }
            try await Task.sleep(for: .milliseconds(300))
            try other.query("COMMIT")
            #expect(try await deleting.value)
            #expect(try await store.rules(in: Self.org).isEmpty)
            #expect(try await store.channels(in: Self.org).isEmpty)
        }
    }
}
