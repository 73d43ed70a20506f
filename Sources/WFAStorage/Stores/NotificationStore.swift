public import WFACore

/// Notification channels and rules (an org's configuration) and the delivery history.
/// Cassandra tables: `notification_config_by_org` (org, kind; clustered by id),
/// `notification_deliveries_by_day`.
public protocol NotificationStore: Sendable {
    /// Inserts or replaces a channel by id.
    func save(_ channel: NotificationChannel) async throws
    func channel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> NotificationChannel?
    /// The org's channels, by name.
    func channels(in org: Org.ID) async throws -> [NotificationChannel]
    /// Deletes a channel and the rules that send to it. Returns whether it existed.
    func deleteChannel(_ id: NotificationChannel.ID, in org: Org.ID) async throws -> Bool

    /// Inserts or replaces a rule by id while its channel exists, checked in the same step as the
    /// write: a rule saved while its channel is being deleted either goes with the channel or is
    /// refused, never left behind. False, and nothing saved, when the org has no such channel.
    func save(_ rule: NotificationRule) async throws -> Bool
    /// The org's rules, by name.
    func rules(in org: Org.ID) async throws -> [NotificationRule]
    func deleteRule(_ id: NotificationRule.ID, in org: Org.ID) async throws -> Bool

    /// Records a delivery; idempotent by id.
    func record(_ deliveries: [NotificationDelivery]) async throws
    /// Deliveries, newest first.
    func deliveries(in org: Org.ID, page: PageRequest) async throws -> Page<NotificationDelivery>
}
