import Foundation
import WFACore

/// The promises of ``NotificationStore``.
public enum NotificationStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case channelsAndRulesCanBeManaged
    case deletingAChannelDeletesItsRules
    case rulesNeedTheirChannel
    case deliveriesAreListedNewestFirst
    case orgsNeverSeeEachOther

    public var description: String { "NotificationStore.\(self.rawValue)" }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any NotificationStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        guard let hookURL = URL(string: "https://soar.example/hook"),
            let slackURL = URL(string: "https://hooks.slack.example/x")
        else {
            throw ConformanceFailure(property: self.description, message: "fixture URLs", file: #fileID, line: #line)
        }
        let hook = NotificationChannel(
            orgID: org, name: "soar", kind: .webhook, url: hookURL,
            signingSecret: "s3cret", createdAt: Fixture.time(1))
        let slack = NotificationChannel(
            orgID: org, name: "#alerts", kind: .slack, url: slackURL,
            createdAt: Fixture.time(2))
        let rule = NotificationRule(
            orgID: org, name: "high to soar", channelID: hook.id, events: [.created, .statusChanged],
            minimumSeverity: .high, cooldownSeconds: 300, createdAt: Fixture.time(3))
        switch self {
        case .channelsAndRulesCanBeManaged:
            try await store.save(hook)
            try await store.save(slack)
            try verify.expectEqual(try await store.save(rule), true, "rule saved")
            try verify.expectEqual(try await store.channels(in: org), [slack, hook], "channels by name")
            try verify.expectEqual(try await store.channel(hook.id, in: org), hook, "read back with its secret")
            var renamed = rule
            renamed.name = "renamed"
            try verify.expectEqual(try await store.save(renamed), true, "rule saved")
            try verify.expectEqual(try await store.rules(in: org), [renamed], "rule replaced")
            try verify.expectEqual(try await store.deleteRule(rule.id, in: org), true, "rule deleted")
            try verify.expectEqual(try await store.deleteRule(rule.id, in: org), false, "deleted twice")

        case .deletingAChannelDeletesItsRules:
            try await store.save(hook)
            try await store.save(slack)
            try verify.expectEqual(try await store.save(rule), true, "rule saved")
            let other = NotificationRule(orgID: org, name: "slack", channelID: slack.id, events: [.noteAdded])
            try verify.expectEqual(try await store.save(other), true, "rule saved")
            try verify.expectEqual(try await store.deleteChannel(hook.id, in: org), true, "deleted")
            try verify.expectEqual(try await store.rules(in: org), [other], "its rule went with it")
            try verify.expectEqual(try await store.channel(hook.id, in: org), nil, "gone")

        case .rulesNeedTheirChannel:
            try verify.expectEqual(try await store.save(rule), false, "no channel yet: refused")
            try verify.expectEqual(try await store.rules(in: org), [], "nothing saved")
            try await store.save(hook)
            var elsewhere = rule
            elsewhere.orgID = Fixture.org()
            try verify.expectEqual(try await store.save(elsewhere), false, "another org's channel: refused")
            try verify.expectEqual(try await store.save(rule), true, "saved once the channel exists")
            try verify.expectEqual(try await store.deleteChannel(hook.id, in: org), true, "channel deleted")
            try verify.expectEqual(try await store.save(rule), false, "refused again after the channel went")
            try verify.expectEqual(try await store.rules(in: org), [], "and the rule went with it")

        case .deliveriesAreListedNewestFirst:
            func delivery(_ index: Int) -> NotificationDelivery {
                let failed = index == 2
                let time = Double(index)
                return NotificationDelivery(
                    orgID: org, ruleID: rule.id, channelID: hook.id, incidentID: .random(), event: "incident.created",
                    status: failed ? .failed : .sent, attempts: failed ? 3 : 1, responseStatus: failed ? 500 : 204,
                    error: failed ? "HTTP 500" : nil, createdAt: Fixture.time(time),
                    completedAt: Fixture.time(time + 0.5))
            }
            let deliveries = (0..<5).map(delivery)
            try await store.record(deliveries)
            try await store.record([deliveries[0]])
            let page = try await store.deliveries(in: org, page: PageRequest(limit: 2, offset: 1))
            try verify.expectEqual(page.total, 5, "total")
            try verify.expectEqual(page.items, [deliveries[3], deliveries[2]], "newest first, paged")

        case .orgsNeverSeeEachOther:
            try await store.save(hook)
            try verify.expectEqual(try await store.save(rule), true, "rule saved")
            let other = Fixture.org()
            try verify.expectEqual(try await store.channels(in: other), [], "channels")
            try verify.expectEqual(try await store.channel(hook.id, in: other), nil, "channel")
            try verify.expectEqual(try await store.rules(in: other), [], "rules")
            try verify.expectEqual(try await store.deleteChannel(hook.id, in: other), false, "delete channel")
            try verify.expectEqual(try await store.deleteRule(rule.id, in: other), false, "delete rule")
            try await store.record([
                NotificationDelivery(
                    orgID: org, ruleID: nil, channelID: hook.id, incidentID: nil, event: "test", status: .sent,
                    attempts: 1, createdAt: Fixture.time(1))
            ])
            try verify.expectEqual(
                try await store.deliveries(in: other, page: PageRequest()).total, 0, "deliveries")
        }
    }
}
