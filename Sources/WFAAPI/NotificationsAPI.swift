import Crypto
import Foundation
import HTTPTypes
import WFACore
import WFANotifications
import WFAStorage

/// Notification channels, rules and the delivery history.
extension APIHandler {
    public func listNotificationChannels(_ input: Operations.ListNotificationChannels.Input) async throws
        -> Operations.ListNotificationChannels.Output
    {
        let principal = try self.principal()
        let channels = try await self.storage.notifications.channels(in: principal.orgID)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: channels.map(Self.wire)))))
    }

    public func createNotificationChannel(_ input: Operations.CreateNotificationChannel.Input) async throws
        -> Operations.CreateNotificationChannel.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.name, of: "name", in: 1...100)
        try RequestValidation.length(body.url, of: "url", in: 8...2_000)
        try RequestValidation.length(body.signingSecret, of: "signing_secret", in: 16...200)
        let url = try Self.webhookURL(body.url)
        let kind = NotificationChannel.Kind(rawValue: body.kind.rawValue) ?? .webhook
        let secret = kind == .webhook ? body.signingSecret ?? Self.generatedSecret() : nil
        let channel = NotificationChannel(
            orgID: principal.orgID, name: body.name, kind: kind, url: url, signingSecret: secret,
            enabled: body.enabled ?? true)
        try await self.storage.notifications.save(channel)
        let created = Components.Schemas.CreatedNotificationChannel(
            channel: Self.wire(channel), signingSecret: body.signingSecret == nil ? secret : nil)
        return .created(.init(body: .json(.init(success: true, message: "created", data: created))))
    }

    public func deleteNotificationChannel(_ input: Operations.DeleteNotificationChannel.Input) async throws
        -> Operations.DeleteNotificationChannel.Output
    {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 1...100)
        guard try await self.storage.notifications.deleteChannel(.init(input.path.id), in: principal.orgID) else {
            throw StorageError(.notFound, "no notification channel \(input.path.id) in this org")
        }
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    public func testNotificationChannel(_ input: Operations.TestNotificationChannel.Input) async throws
        -> Operations.TestNotificationChannel.Output
    {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 1...100)
        guard let channel = try await self.storage.notifications.channel(.init(input.path.id), in: principal.orgID)
        else {
            throw StorageError(.notFound, "no notification channel \(input.path.id) in this org")
        }
        let now = Date()
        let sample = Incident(
            orgID: principal.orgID, title: "Test notification from wfa", severity: .informational,
            firstObservedAt: now, lastObservedAt: now)
        let message = NotificationMessage(event: "test", incident: sample, change: nil, deliveryID: .random())
        let delivery = await self.notificationSender.deliver(message, to: channel, rule: nil)
        try await self.storage.notifications.record([delivery])
        return .ok(
            .init(
                body: .json(
                    .init(
                        success: true, message: delivery.status.rawValue,
                        data: try APIConversion.convert(delivery, to: Components.Schemas.NotificationDelivery.self)))))
    }

    public func listNotificationRules(_ input: Operations.ListNotificationRules.Input) async throws
        -> Operations.ListNotificationRules.Output
    {
        let principal = try self.principal()
        let rules = try await self.storage.notifications.rules(in: principal.orgID)
        let data = try rules.map { try APIConversion.convert($0, to: Components.Schemas.NotificationRule.self) }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createNotificationRule(_ input: Operations.CreateNotificationRule.Input) async throws
        -> Operations.CreateNotificationRule.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.name, of: "name", in: 1...100)
        try RequestValidation.length(body.channelId, of: "channel_id", in: 1...100)
        guard (1...5).contains(body.events.count) else { throw APIError.invalid("events must list 1 to 5 events") }
        let cooldown = body.cooldownSeconds ?? 0
        guard (0...86_400).contains(cooldown) else { throw APIError.invalid("cooldown_seconds must be 0 to 86400") }
        guard
            let channel = try await self.storage.notifications.channel(.init(body.channelId), in: principal.orgID)
        else {
            throw APIError(
                .notFound, code: "notification.channel_not_found", "no channel \(body.channelId) in this org")
        }
        let rule = NotificationRule(
            orgID: principal.orgID, name: body.name, channelID: channel.id,
            events: Set(body.events.compactMap { NotificationRule.Event(rawValue: $0.rawValue) }),
            minimumSeverity: body.minimumSeverity.flatMap { IncidentSeverity(rawValue: $0.rawValue) } ?? .informational,
            cooldownSeconds: cooldown, enabled: body.enabled ?? true)
        // Checked again as the rule is written: the channel may be deleted in between.
        guard try await self.storage.notifications.save(rule) else {
            throw APIError(
                .notFound, code: "notification.channel_not_found", "no channel \(body.channelId) in this org")
        }
        return .created(
            .init(
                body: .json(
                    .init(
                        success: true, message: "created",
                        data: try APIConversion.convert(rule, to: Components.Schemas.NotificationRule.self)))))
    }

    public func deleteNotificationRule(_ input: Operations.DeleteNotificationRule.Input) async throws
        -> Operations.DeleteNotificationRule.Output
    {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 1...100)
        guard try await self.storage.notifications.deleteRule(.init(input.path.id), in: principal.orgID) else {
            throw StorageError(.notFound, "no notification rule \(input.path.id) in this org")
        }
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    public func listNotificationDeliveries(_ input: Operations.ListNotificationDeliveries.Input) async throws
        -> Operations.ListNotificationDeliveries.Output
    {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        let result = try await self.storage.notifications.deliveries(in: principal.orgID, page: page)
        let data = Components.Schemas.NotificationDeliveryPage(
            items: try result.items.map {
                try APIConversion.convert($0, to: Components.Schemas.NotificationDelivery.self)
            },
            total: result.total, limit: result.limit, offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    /// The channel as the API shows it: everything but the secret.
    private static func wire(_ channel: NotificationChannel) -> Components.Schemas.NotificationChannel {
        Components.Schemas.NotificationChannel(
            id: channel.id.rawValue, orgId: channel.orgID.rawValue, name: channel.name,
            kind: .init(rawValue: channel.kind.rawValue) ?? .webhook, url: channel.url.absoluteString,
            enabled: channel.enabled, hasSigningSecret: channel.signingSecret != nil, createdAt: channel.createdAt)
    }

    /// https anywhere; plain http only to this host, so notifications never cross a network unencrypted.
    static func webhookURL(_ text: String) throws -> URL {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host, !host.isEmpty
        else {
            throw APIError.invalid("url must be an absolute http(s) URL")
        }
        let loopback = ["localhost", "127.0.0.1", "::1", "[::1]"].contains(host.lowercased())
        guard scheme == "https" || (scheme == "http" && loopback) else {
            throw APIError.invalid("url must use https (plain http is allowed only to this host)")
        }
        return url
    }

    private static func generatedSecret() -> String {
        "whsec_" + Base64URL.encode(SymmetricKey(size: .bits256).withUnsafeBytes { Array($0) })
    }
}
