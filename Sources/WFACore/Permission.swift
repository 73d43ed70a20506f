/// A right to act on one area of the product, `<area>:<read|write|manage>`, or `admin` for all.
///
/// Levels nest: manage implies write implies read, so a role lists only its highest level per area.
public struct Permission: Hashable, Sendable, Codable, CustomStringConvertible, Comparable {
    public enum Area: String, Sendable, Codable, Hashable, CaseIterable {
        case signals, graph, incidents, observer, reports, frameworks, health, metrics, settings, conductor
    }

    public enum Level: Int, Sendable, Codable, Hashable, CaseIterable, Comparable {
        case read = 1
        case write = 2
        case manage = 3

        var name: String {
            switch self {
            case .read: "read"
            case .write: "write"
            case .manage: "manage"
            }
        }

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// nil for `admin`.
    public let area: Area?
    public let level: Level

    public init(_ area: Area, _ level: Level) {
        self.area = area
        self.level = level
    }

    private init(admin: Void) {
        self.area = nil
        self.level = .manage
    }

    /// Every right in every area.
    public static let admin = Permission(admin: ())

    /// Parses `admin` or `<area>:<level>`; nil for anything else.
    public init?(_ text: String) {
        if text == "admin" {
            self = .admin
            return
        }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let area = Area(rawValue: String(parts[0])),
            let level = Level.allCases.first(where: { $0.name == parts[1] })
        else { return nil }
        self.init(area, level)
    }

    public var description: String {
        guard let area else { return "admin" }
        return "\(area.rawValue):\(self.level.name)"
    }

    /// Whether holding `self` is enough for an operation that requires `required`.
    public func grants(_ required: Permission) -> Bool {
        guard let area = self.area else { return true }
        return area == required.area && self.level >= required.level
    }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.description < rhs.description }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let text = try container.decode(String.self)
        guard let permission = Permission(text) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "unknown permission")
        }
        self = permission
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(self.description)
    }
}

extension Collection<Permission> {
    /// Whether any permission in the collection grants `required`.
    public func grants(_ required: Permission) -> Bool {
        self.contains { $0.grants(required) }
    }
}
