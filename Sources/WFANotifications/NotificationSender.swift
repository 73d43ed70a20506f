public import Foundation
public import WFACore

/// Delivers one message to one channel: formats it for the channel's kind, signs webhooks, and
/// retries with exponential backoff when the receiver is unreachable or answers 429 or 5xx.
/// Other 4xx answers are final (the receiver refused the request itself).
public struct NotificationSender: Sendable {
    public struct RetryPolicy: Sendable {
        public var attempts: Int
        /// The wait after the first failure; doubles after each next one.
        public var firstDelay: Duration

        public init(attempts: Int = 4, firstDelay: Duration = .seconds(2)) {
            self.attempts = max(attempts, 1)
            self.firstDelay = firstDelay
        }
    }

    let transport: any WebhookTransport
    let retry: RetryPolicy
    let userAgent: String

    public init(transport: any WebhookTransport, retry: RetryPolicy = .init(), userAgent: String = "wfa") {
        self.transport = transport
        self.retry = retry
        self.userAgent = userAgent
    }

    /// - Returns: the delivery record (sent or failed), never throws for a receiver's failure.
    public func deliver(
        _ message: NotificationMessage, to channel: NotificationChannel, rule: NotificationRule.ID?,
        now: @Sendable () -> Date = Date.init
    ) async -> NotificationDelivery {
        let started = now()
        var attempts = 0
        var status: Int?
        var failure: String?
        do {
            let body = try channel.kind == .slack ? message.slackBody() : message.webhookBody()
            while attempts < self.retry.attempts {
                if attempts > 0 {
                    try? await Task.sleep(for: self.retry.firstDelay * (1 << min(attempts - 1, 10)))
                }
                attempts += 1
                let timestamp = Int(now().timeIntervalSince1970)
                var headers = [
                    "Content-Type": "application/json", "User-Agent": self.userAgent, "X-WFA-Event": message.event,
                    "X-WFA-Delivery": message.deliveryID.rawValue,
                ]
                if channel.kind == .webhook, let secret = channel.signingSecret {
                    headers[WebhookSignature.timestampHeader] = String(timestamp)
                    headers[WebhookSignature.signatureHeader] = WebhookSignature.sign(
                        body: body, timestamp: timestamp, secret: secret)
                }
                do {
                    let answer = try await self.transport.post(body, to: channel.url, headers: headers)
                    status = answer
                    if (200...299).contains(answer) {
                        failure = nil
                        break
                    }
                    failure = "the receiver answered HTTP \(answer)"
                    if answer != 429 && !(500...599).contains(answer) { break }
                } catch {
                    status = nil
                    failure = "no answer: \(error.localizedDescription)"
                }
                if Task.isCancelled { break }
            }
        } catch {
            failure = "the message could not be encoded: \(error)"
        }
        return NotificationDelivery(
            id: message.deliveryID, orgID: channel.orgID, ruleID: rule, channelID: channel.id,
            incidentID: message.incident.id, event: message.event, status: failure == nil ? .sent : .failed,
            attempts: attempts, responseStatus: status, error: failure, createdAt: started, completedAt: now())
    }
}
