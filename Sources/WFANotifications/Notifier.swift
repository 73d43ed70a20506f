import Crypto
import Foundation
public import Logging
public import ServiceLifecycle
public import WFACore
public import WFAMessaging
public import WFAStorage

/// The notification role: reads incident events off the bus, matches each change against the
/// org's notification rules (event kind, severity floor, cooldown per rule and incident), delivers
/// to the rules' channels with retries, and records every delivery. A batch is acknowledged after
/// its deliveries are recorded, so a crash re-sends rather than loses (receivers de-duplicate by
/// the `X-WFA-Delivery` id, which a redelivered event keeps).
public actor Notifier: Service {
    public static let consumer = ConsumerConfiguration(name: "notifier", batchSize: 64)

    let bus: any Bus
    let store: any NotificationStore
    let sender: NotificationSender
    let logger: Logger
    /// Until when each (rule, incident) pair is cooling down after it notified. Marks whose time
    /// has passed are dropped (see ``pruneCooldowns(now:)``), so the map holds only the pairs
    /// cooling down now, not every pair ever notified.
    private(set) var coolingUntil: [String: Date] = [:]
    private var lastPrune = Date.distantPast

    public init(bus: any Bus, store: any NotificationStore, sender: NotificationSender, logger: Logger) {
        self.bus = bus
        self.store = store
        self.sender = sender
        self.logger = logger
    }

    public func run() async throws {
        try await self.bus.declare(.incidents, consumer: Self.consumer)
        try await cancelWhenGracefulShutdown {
            try await self.bus.consume(.incidents, as: Self.consumer) { messages in
                try await self.process(messages)
            }
        }
    }

    /// Delivers what one batch of incident events asks for.
    /// - Returns: the deliveries made.
    @discardableResult
    public func process(_ messages: [BusMessage]) async throws -> [NotificationDelivery] {
        var jobs: [(NotificationMessage, NotificationChannel, NotificationRule)] = []
        var configuration: [Org.ID: ([NotificationRule], [NotificationChannel.ID: NotificationChannel])] = [:]
        for message in messages {
            let incidentEvent = try message.decode(IncidentEvent.self)
            let incident = incidentEvent.incident
            let org = incident.orgID
            if configuration[org] == nil {
                let rules = try await self.store.rules(in: org).filter(\.enabled)
                let channels = try await self.store.channels(in: org).filter(\.enabled)
                configuration[org] = (rules, Dictionary(channels.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a }))
            }
            guard let (rules, channels) = configuration[org], !rules.isEmpty else { continue }
            for activity in incidentEvent.activities {
                guard let event = NotificationRule.Event(activity.action) else { continue }
                for rule in rules where rule.wants(event, about: incident) {
                    guard let channel = channels[rule.channelID] else { continue }
                    let key = "\(rule.id.rawValue) \(incident.id.rawValue)"
                    if let until = self.coolingUntil[key], activity.at < until { continue }
                    if rule.cooldownSeconds > 0 {
                        self.coolingUntil[key] = activity.at.addingTimeInterval(Double(rule.cooldownSeconds))
                    }
                    let id = Self.deliveryID(rule: rule.id, incident: incident.id, activity: activity)
                    jobs.append(
                        (
                            NotificationMessage(
                                event: event.rawValue, incident: incident, change: activity, deliveryID: id), channel,
                            rule
                        ))
                }
            }
        }
        self.pruneCooldowns()
        guard !jobs.isEmpty else { return [] }
        let sender = self.sender
        let deliveries = await withTaskGroup(of: NotificationDelivery.self) { group in
            for (message, channel, rule) in jobs {
                group.addTask { await sender.deliver(message, to: channel, rule: rule.id) }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        try await self.store.record(deliveries)
        for failed in deliveries where failed.status == .failed {
            self.logger.warning(
                "notification not delivered",
                metadata: [
                    "channel": "\(failed.channelID)", "event": "\(failed.event)", "attempts": "\(failed.attempts)",
                    "error": "\(failed.error ?? "")",
                ])
        }
        return deliveries
    }

    /// Drops the cooldowns that have ended, at most once a minute.
    func pruneCooldowns(now: Date = Date(), force: Bool = false) {
        guard force || now.timeIntervalSince(self.lastPrune) >= 60 else { return }
        self.lastPrune = now
        self.coolingUntil = self.coolingUntil.filter { $0.value > now }
    }

    /// The same change notified by the same rule always gets the same id.
    static func deliveryID(
        rule: NotificationRule.ID, incident: Incident.ID, activity: IncidentActivity
    ) -> NotificationDelivery.ID {
        let key =
            "\(rule.rawValue)|\(incident.rawValue)|\(activity.action.rawValue)|\(activity.at.timeIntervalSince1970)|\(activity.to ?? "")"
        let digest = SHA256.hash(data: Data(key.utf8)).prefix(16).hexadecimal
        return NotificationDelivery.ID(digest)
    }
}
