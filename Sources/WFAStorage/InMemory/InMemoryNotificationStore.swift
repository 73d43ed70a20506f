public import WFACore

/// A ``NotificationStore`` in memory.
public actor InMemoryNotificationStore: NotificationStore {
    private var channels: [NotificationChannel.ID: NotificationChannel] = [:]
    private var rules: [NotificationRule.ID: NotificationRule] = [:]
    private var deliveries: [NotificationDelivery.ID: NotificationDelivery] = [:]

    public init() {}

    public func save(_ channel: NotificationChannel) async throws {
        if let existing = self.channels[channel.id], existing.orgID != channel.orgID { return }
        self.channels[channel.id] = channel
    }

    public func channel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> NotificationChannel? {
        self.channels[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func channels(in org: Org.ID) async throws -> [NotificationChannel] {
        self.channels.values.filter { $0.orgID == org }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func deleteChannel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> Bool {
        guard self.channels[id]?.orgID == org else { return false }
        self.channels[id] = nil
        self.rules = self.rules.filter { $0.value.channelID != id || $0.value.orgID != org }
        return true
    }

    public func save(_ rule: NotificationRule) async throws -> Bool {
        guard self.channels[rule.channelID]?.orgID == rule.orgID else { return false }
        if let existing = self.rules[rule.id], existing.orgID != rule.orgID { return false }
        self.rules[rule.id] = rule
        return true
    }

    public func rules(in org: Org.ID) async throws -> [NotificationRule] {
        self.rules.values.filter { $0.orgID == org }.sorted { ($0.name, $0.id) < ($1.name, $1.id) }
    }

    public func deleteRule(_ id: NotificationRule.ID, in org: Org.ID) async throws -> Bool {
        guard self.rules[id]?.orgID == org else { return false }
        self.rules[id] = nil
        return true
    }

    public func record(_ batch: [NotificationDelivery]) async throws {
        for delivery in batch {
            if let existing = self.deliveries[delivery.id], existing.orgID != delivery.orgID { continue }
            self.deliveries[delivery.id] = delivery
        }
    }

    public func deliveries(in org: Org.ID, page: PageRequest) async throws -> Page<NotificationDelivery> {
        let page = try page.validated()
        let matches = self.deliveries.values.filter { $0.orgID == org }
            .sorted { ($0.createdAt, $0.id) > ($1.createdAt, $1.id) }
        return Page(slicing: matches, page)
    }
}
