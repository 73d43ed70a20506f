/// The kind of entity a graph node stands for. Extensible beyond the reference types.
public struct NodeType: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible,
    ExpressibleByStringLiteral
{
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { self.rawValue = value }
    public var description: String { self.rawValue }

    public static let ip: Self = "ip"
    public static let host: Self = "host"
    public static let domain: Self = "domain"
    public static let user: Self = "user"
    public static let email: Self = "email"
    public static let hash: Self = "hash"
    public static let url: Self = "url"
    /// A file by path (or name), linked to its hashes.
    public static let file: Self = "file"
}
