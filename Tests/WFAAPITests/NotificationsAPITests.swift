import Foundation
import Logging
import Testing
import WFACore
import WFAMessaging
import WFANotifications
import WFAStorage
import WFATestSupport

/// Notification channels and rules through the API, and an analyst's change reaching a webhook.
struct NotificationsAPITests {
    func data(_ response: ParsedResponse?, status: Int = 200) throws -> Any? {
        #expect(response?.status == status, "\(response?.body ?? "")")
        let json = try JSONSerialization.jsonObject(with: Data((response?.body ?? "").utf8)) as? [String: Any]
        return json?["data"]
    }

    @Test(
        "a channel's secret is shown once; an analyst's status change is delivered signed to the channel and recorded"
    )
    func statusChangeReachesWebhook() async throws {
        let receiver = try await WebhookReceiver()
        try await APITestServer.run { api in
            let admin = try #require(api.tokens["admin"])
            let created = try #require(
                try self.data(
                    try await api.call(
                        "POST", "/notification-channels", token: admin,
                        body: #"{"name":"SOAR","kind":"webhook","url":"\#(receiver.url)"}"#), status: 201)
                    as? [String: Any])
            let secret = try #require(created["signing_secret"] as? String)
            let channel = try #require((created["channel"] as? [String: Any])?["id"] as? String)
            let listed = try await api.call("GET", "/notification-channels", token: admin)
            #expect(listed?.body.contains(secret) == false, "the secret is never listed")
            let channels = try #require(try self.data(listed) as? [[String: Any]])
            #expect(channels.first?["has_signing_secret"] as? Bool == true)
            let insecure = try await api.call(
                "POST", "/notification-channels", token: admin,
                body: #"{"name":"x","kind":"slack","url":"http://hooks.example.com/x"}"#)
            #expect(insecure?.status == 400, "plain http leaves the host only over https")
            #expect(
                try await api.call(
                    "POST", "/notification-rules", token: admin,
                    body: #"{"name":"r","channel_id":"nope","events":["incident.created"]}"#)?.status == 404)
            _ = try self.data(
                try await api.call(
                    "POST", "/notification-rules", token: admin,
                    body:
                        #"{"name":"Closed cases","channel_id":"\#(channel)","events":["incident.status_changed"],"minimum_severity":"medium"}"#
                ), status: 201)
            #expect(
                try await api.call("POST", "/notification-rules", token: api.tokens["analyst"], body: "{}")?.status
                    == 403)

            // The notifier runs beside the API on the same bus, as `wfa serve` runs it.
            let notifier = Notifier(
                bus: api.bus, store: api.storage.notifications,
                sender: NotificationSender(transport: URLSessionWebhookTransport(timeout: 5)),
                logger: Logger(label: "notifier"))
            try await api.bus.declare(.incidents, consumer: Notifier.consumer)
            let running = Task { try await notifier.run() }
            let incident = IncidentsAPITests.incident("acme", severity: .high)
            try await api.storage.incidents.save([incident])
            let changed = try await api.call(
                "POST", "/incidents/\(incident.id)/status", token: api.tokens["analyst"], body: #"{"status":5}"#)
            #expect(changed?.status == 200)
            let deadline = ContinuousClock.now + .seconds(10)
            while receiver.received.isEmpty, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            running.cancel()

            let request = try #require(receiver.received.first)
            let timestamp = try #require(request.headers["x-wfa-timestamp"].flatMap(Int.init))
            #expect(
                WebhookSignature.isValid(
                    signature: request.headers["x-wfa-signature"] ?? "", body: request.body, timestamp: timestamp,
                    secret: secret))
            let body = try #require(try JSONSerialization.jsonObject(with: request.body) as? [String: Any])
            #expect(body["event"] as? String == "incident.status_changed")
            #expect((body["incident"] as? [String: Any])?["status"] as? Int == 5)

            var history: [[String: Any]] = []
            while history.isEmpty, ContinuousClock.now < deadline {
                history =
                    (try self.data(try await api.call("GET", "/notification-deliveries", token: admin))
                    as? [String: Any])?[
                        "items"] as? [[String: Any]] ?? []
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(history.first?["status"] as? String == "sent" && history.first?["attempts"] as? Int == 1)

            let test = try #require(
                try self.data(try await api.call("POST", "/notification-channels/\(channel)/test", token: admin))
                    as? [String: Any])
            #expect(test["status"] as? String == "sent" && test["event"] as? String == "test")
            #expect(try await api.call("DELETE", "/notification-channels/\(channel)", token: admin)?.status == 200)
            #expect(try await api.storage.notifications.rules(in: "acme").isEmpty)
        }
        await receiver.stop()
    }
}
