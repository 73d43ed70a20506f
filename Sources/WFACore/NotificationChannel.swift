public import Foundation

/// Where notifications go: a generic webhook (signed) or a Slack-compatible incoming webhook.
public struct NotificationChannel: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<NotificationChannel>

    public enum Kind: String, Sendable, Codable, Hashable, CaseIterable {
        /// JSON event body, signed with HMAC-SHA256 over `<timestamp>.<body>`.
        case webhook
        /// `{"text": ...}` as Slack (and Mattermost, Teams' Slack-compatible hooks) expect.
        case slack
    }

    public var id: ID
    public var orgID: Org.ID
    public var name: String
    public var kind: Kind
    public var url: URL
    /// The signing key of a webhook channel. Stored because signing needs it; never returned by
    /// the API or written to a log (its description is redacted).
    public var signingSecret: String?
    public var enabled: Bool
    public var createdAt: Date

    public init(
        id: ID = .random(), orgID: Org.ID, name: String, kind: Kind, url: URL, signingSecret: String? = nil,
        enabled: Bool = true, createdAt: Date = Date()
    ) {
        self.id = id
        self.orgID = orgID
        self.name = name
        self.kind = kind
        self.url = url
        self.signingSecret = signingSecret
        self.enabled = enabled
        self.createdAt = EpochMicroseconds.normalize(createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name, kind, url, enabled
        case orgID = "org_id"
        case signingSecret = "signing_secret"
        case createdAt = "created_at"
    }
}

extension NotificationChannel: CustomStringConvertible {
    public var description: String { "\(self.kind.rawValue) channel \(self.id) (\(self.name))" }
}
