public import Foundation
import Synchronization
public import WFACore

/// Delivers one message to one channel: formats it for the channel's kind, signs webhooks, and
/// retries with exponential backoff when the receiver is unreachable or answers 429 or 5xx.
/// Other 4xx answers are final (the receiver refused the request itself).
public struct NotificationSender: Sendable {
    public struct RetryPolicy: Sendable {
        public var attempts: Int
        /// The wait after the first failure; doubles after each next one.
        public var firstDelay: Duration
        /// The longest one attempt may take, name lookup and connection included.
        public var attemptTimeout: Duration

        public init(attempts: Int = 4, firstDelay: Duration = .seconds(2), attemptTimeout: Duration = .seconds(10)) {
            self.attempts = max(attempts, 1)
            self.firstDelay = firstDelay
            self.attemptTimeout = attemptTimeout
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
                    let answer = try await self.post(body, to: channel.url, headers: headers)
                    status = answer
                    if (200...299).contains(answer) {
                        failure = nil
                        break
                    }
                    failure = "the receiver answered HTTP \(answer)"
                    if answer != 429 && !(500...599).contains(answer) { break }
                } catch {
                    status = nil
                    failure = "no answer: " + ((error as? AttemptTimeout)?.description ?? error.localizedDescription)
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

    /// One attempt, abandoned after ``RetryPolicy/attemptTimeout`` even when the transport does
    /// not stop when asked (a name lookup that hangs is bounded by neither the request timeout nor
    /// cancellation): the caller gets its answer and the stray request is left to finish alone.
    private func post(_ body: Data, to url: URL, headers: [String: String]) async throws -> Int {
        let transport = self.transport
        let timeout = self.retry.attemptTimeout
        let gate = ResumeOnce()
        return try await withCheckedThrowingContinuation { continuation in
            let attempt = Task {
                do {
                    let status = try await transport.post(body, to: url, headers: headers)
                    if gate.claim() { continuation.resume(returning: status) }
                } catch {
                    if gate.claim() { continuation.resume(throwing: error) }
                }
            }
            Task {
                try? await Task.sleep(for: timeout)
                if gate.claim() {
                    attempt.cancel()
                    continuation.resume(throwing: AttemptTimeout(after: timeout))
                }
            }
        }
    }
}

/// Lets exactly one of two racing tasks resume a continuation.
final class ResumeOnce: Sendable {
    private let claimed = Mutex(false)

    func claim() -> Bool {
        self.claimed.withLock { claimed in
            defer { claimed = true }
            return !claimed
        }
    }
}

struct AttemptTimeout: Error, CustomStringConvertible {
    var after: Duration
    var description: String { "no answer within \(self.after)" }
}
