import Crypto
import Foundation
import HTTPTypes
import Logging
import NIOCore
import Synchronization
import Testing
import WFACore
import WFAHTTP
import WFAMessaging
import WFAStorage
import WFATestSupport

@testable import WFANotifications

/// Webhooks received by a real HTTP server on loopback: signed, retried, filtered, cooled down.
struct NotifierTests {
    static let org = Org.ID("acme")

    static func incident(severity: IncidentSeverity = .high) -> Incident {
        Incident(
            orgID: Self.org, title: "SSH brute force from 203.0.113.9", severity: severity, suspicionScore: 0.72,
            firstObservedAt: Date(), lastObservedAt: Date(), mitreTechniques: ["T1110"])
    }

    static func event(_ incident: Incident, _ action: IncidentActivity.Action, at time: Date = Date()) throws
        -> BusMessage
    {
        let activity = IncidentActivity(action, by: "analyst-1", at: time, from: "1", to: "5")
        return try BusMessage.incidentEvent(IncidentEvent(kind: .updated, incident: incident, activities: [activity]))
    }

    /// A store with one signed webhook channel and one rule sending `events` to it.
    static func store(
        sendingTo url: URL, secret: String, _ events: Set<NotificationRule.Event>
    ) async throws -> InMemoryNotificationStore {
        let store = InMemoryNotificationStore()
        let channel = NotificationChannel(
            orgID: Self.org, name: "soar", kind: .webhook, url: url, signingSecret: secret)
        try await store.save(channel)
        #expect(
            try await store.save(NotificationRule(orgID: Self.org, name: "all", channelID: channel.id, events: events)))
        return store
    }

    static func notifier(_ store: any NotificationStore) -> Notifier {
        Notifier(
            bus: InProcessBus(), store: store,
            sender: NotificationSender(
                transport: URLSessionWebhookTransport(timeout: 5),
                retry: .init(attempts: 3, firstDelay: .milliseconds(20)), userAgent: "wfa-test"),
            logger: Logger(label: "notifier"))
    }

    @Test("a generic webhook is signed with HMAC-SHA256 over timestamp and body, and the receiver can verify it")
    func signedWebhook() async throws {
        let receiver = try await WebhookReceiver()
        let store = try await Self.store(sendingTo: receiver.url, secret: "a shared secret value", [.statusChanged])
        let incident = Self.incident()
        let deliveries = try await Self.notifier(store).process([try Self.event(incident, .statusChanged)])
        await receiver.stop()

        #expect(deliveries.map(\.status) == [.sent])
        let request = try #require(receiver.received.first)
        let timestamp = try #require(request.headers["x-wfa-timestamp"].flatMap(Int.init))
        let signature = try #require(request.headers["x-wfa-signature"])
        // Checked independently of WebhookSignature: HMAC-SHA256(secret, "<timestamp>.<body>").
        var signed = Data("\(timestamp).".utf8)
        signed.append(request.body)
        let code = HMAC<SHA256>.authenticationCode(
            for: signed, using: SymmetricKey(data: Data("a shared secret value".utf8)))
        #expect(signature == "sha256=" + code.map { String(format: "%02x", $0) }.joined())
        #expect(
            WebhookSignature.isValid(
                signature: signature, body: request.body, timestamp: timestamp, secret: "a shared secret value"))
        #expect(
            !WebhookSignature.isValid(
                signature: signature, body: request.body + Data("x".utf8), timestamp: timestamp,
                secret: "a shared secret value"))
        #expect(request.headers["x-wfa-event"] == "incident.status_changed")

        let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
        #expect(body["event"] as? String == "incident.status_changed")
        #expect((body["incident"] as? [String: Any])?["id"] as? String == incident.id.rawValue)
        #expect((body["change"] as? [String: Any])?["to"] as? String == "5")
        #expect(try await store.deliveries(in: Self.org, page: PageRequest()).items.map(\.status) == [.sent])
    }

    @Test("a receiver's 503 is retried with backoff; a 400 is final; both are in the delivery history")
    func retries() async throws {
        let flaky = try await WebhookReceiver(statuses: [.serviceUnavailable, .internalServerError])
        let refusing = try await WebhookReceiver(statuses: [.badRequest])
        let store = InMemoryNotificationStore()
        let first = NotificationChannel(orgID: Self.org, name: "a", kind: .webhook, url: flaky.url, signingSecret: "k")
        let second = NotificationChannel(orgID: Self.org, name: "b", kind: .slack, url: refusing.url)
        for channel in [first, second] {
            try await store.save(channel)
            #expect(
                try await store.save(
                    NotificationRule(orgID: Self.org, name: channel.name, channelID: channel.id, events: [.created])))
        }
        let deliveries = try await Self.notifier(store).process([try Self.event(Self.incident(), .created)])
        await flaky.stop()
        await refusing.stop()

        let byChannel = Dictionary(uniqueKeysWithValues: deliveries.map { ($0.channelID, $0) })
        #expect(byChannel[first.id]?.status == .sent && byChannel[first.id]?.attempts == 3)
        #expect(byChannel[second.id]?.status == .failed && byChannel[second.id]?.attempts == 1)
        #expect(byChannel[second.id]?.responseStatus == 400)
        #expect(flaky.received.count == 3)
        let slack = try #require(refusing.received.first)
        let text = try #require(try JSONSerialization.jsonObject(with: slack.body) as? [String: String])["text"]
        #expect(text?.hasPrefix("[HIGH] New incident: SSH brute force from 203.0.113.9") == true)
        #expect(try await store.deliveries(in: Self.org, page: PageRequest()).total == 2)
    }

    @Test("rules filter by event and severity, and a cooldown holds back repeats for the same incident")
    func filtersAndCooldown() async throws {
        let receiver = try await WebhookReceiver()
        let store = InMemoryNotificationStore()
        let channel = NotificationChannel(orgID: Self.org, name: "soar", kind: .webhook, url: receiver.url)
        try await store.save(channel)
        #expect(
            try await store.save(
                NotificationRule(
                    orgID: Self.org, name: "high notes", channelID: channel.id, events: [.noteAdded],
                    minimumSeverity: .high,
                    cooldownSeconds: 600)))
        let notifier = Self.notifier(store)
        let start = Date()
        let high = Self.incident(severity: .high)
        let low = Self.incident(severity: .low)
        var sent = try await notifier.process([
            try Self.event(high, .noteAdded, at: start),
            try Self.event(low, .noteAdded, at: start),
            try Self.event(high, .statusChanged, at: start),
        ])
        sent += try await notifier.process([try Self.event(high, .noteAdded, at: start.addingTimeInterval(60))])
        sent += try await notifier.process([try Self.event(high, .noteAdded, at: start.addingTimeInterval(601))])
        await receiver.stop()
        #expect(sent.count == 2, "the first note, then the one after the cooldown")
        #expect(sent.allSatisfy { $0.incidentID == high.id })
        #expect(receiver.received.count == 2)
        #expect(await notifier.coolingUntil.count == 1, "one pair cooling down")
        await notifier.pruneCooldowns(now: start.addingTimeInterval(601 + 599), force: true)
        #expect(await notifier.coolingUntil.count == 1, "still cooling down")
        await notifier.pruneCooldowns(now: start.addingTimeInterval(601 + 601), force: true)
        #expect(await notifier.coolingUntil.isEmpty, "an ended cooldown is forgotten")
    }

    @Test("a redelivered event gets the same delivery id, so receivers and the history de-duplicate")
    func redeliveryKeepsTheID() async throws {
        let receiver = try await WebhookReceiver()
        let store = try await Self.store(sendingTo: receiver.url, secret: "k", [.created])
        let message = try Self.event(Self.incident(), .created, at: Date(timeIntervalSince1970: 1_800_000_000))
        let first = try await Self.notifier(store).process([message])
        let again = try await Self.notifier(store).process([message])
        await receiver.stop()
        #expect(first.map(\.id) == again.map(\.id))
        let ids = Set(receiver.received.compactMap { $0.headers["x-wfa-delivery"] })
        #expect(ids.count == 1)
        #expect(try await store.deliveries(in: Self.org, page: PageRequest()).total == 1)
    }

    /// A receiver that never answers and ignores being asked to stop, like a name lookup that hangs.
    struct HangingTransport: WebhookTransport {
        func post(_ body: Data, to url: URL, headers: [String: String]) async throws -> Int {
            for _ in 0..<600 { try? await Task.sleep(for: .milliseconds(50)) }
            return 204
        }
    }

    @Test("an attempt that gets no answer is abandoned at its timeout and recorded as failed")
    func hangingReceiver() async throws {
        let sender = NotificationSender(
            transport: HangingTransport(), retry: .init(attempts: 1, attemptTimeout: .milliseconds(100)))
        let channel = NotificationChannel(
            orgID: Self.org, name: "slow", kind: .webhook, url: try #require(URL(string: "https://slow.example")),
            signingSecret: "k")
        let message = NotificationMessage(event: "test", incident: Self.incident(), change: nil, deliveryID: .random())
        let delivery = await sender.deliver(message, to: channel, rule: nil)
        #expect(delivery.status == .failed && delivery.attempts == 1)
        #expect(delivery.error == "no answer: no answer within 0.1 seconds", "\(delivery.error ?? "")")
    }
}
