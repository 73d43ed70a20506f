public import Foundation

/// A tenant. Every record belongs to exactly one org, and no query crosses orgs.
public struct Org: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Org>

    public var id: ID
    public var name: String
    public var createdAt: Date

    public init(id: ID = .random(), name: String, createdAt: Date = Date()) {
        self.id = id
        self.name = name
        self.createdAt = EpochMicroseconds.normalize(createdAt)
    }

    enum CodingKeys: String, CodingKey {
        case id, name
        case createdAt = "created_at"
    }
}
