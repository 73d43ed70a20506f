/// One entity named by an artifact, as `type:value` (`ip:10.0.0.5`, `user:root`).
///
/// Artifacts are indexed by these keys so "every event that mentions 10.0.0.5" is one index
/// lookup in any store.
public struct EntityKey: Hashable, Sendable, Codable, Comparable, CustomStringConvertible {
    public var type: NodeType
    /// The canonical value (see ``IPAddress`` and ``HostName``).
    public var value: String

    public init(type: NodeType, value: String) {
        self.type = type
        self.value = value
    }

    /// Parses `type:value`; nil when there is no colon or either side is empty.
    public init?(_ text: String) {
        // Searched by scalar: a combining mark or emoji modifier after the colon would otherwise
        // fold it into one Character with the next scalar, and the colon would not be found.
        guard let colon = text.unicodeScalars.firstIndex(of: ":") else { return nil }
        let type = String(text.unicodeScalars[..<colon])
        let value = String(text.unicodeScalars[text.unicodeScalars.index(after: colon)...])
        guard !type.isEmpty, !value.isEmpty else { return nil }
        self.type = NodeType(rawValue: type)
        self.value = value
    }

    public var description: String {
        // Appended rather than interpolated: node ids and artifact indexes make one per entity.
        var text = ""
        text.reserveCapacity(self.type.rawValue.utf8.count + self.value.utf8.count + 1)
        text += self.type.rawValue
        text += ":"
        text += self.value
        return text
    }

    /// Ordered as their `type:value` text, without making it: artifacts sort their keys twice per
    /// event.
    public static func < (lhs: Self, rhs: Self) -> Bool {
        if lhs.type == rhs.type { return lhs.value < rhs.value }
        return Self.typeOrder(lhs.type.rawValue, rhs.type.rawValue) ?? (lhs.description < rhs.description)
    }

    /// Whether `left:` sorts before `right:` when both types are ASCII: the texts then differ
    /// within their types or at the colon, before any value byte, and ASCII orders by byte.
    private static func typeOrder(_ left: String, _ right: String) -> Bool? {
        var left = left
        var right = right
        return left.withUTF8 { lhs in
            right.withUTF8 { rhs -> Bool? in
                guard lhs.allSatisfy({ $0 < 0x80 }), rhs.allSatisfy({ $0 < 0x80 }) else { return nil }
                let colon = UInt8(ascii: ":")
                for index in 0...min(lhs.count, rhs.count) {
                    let l = index < lhs.count ? lhs[index] : colon
                    let r = index < rhs.count ? rhs[index] : colon
                    if l != r { return l < r }
                }
                return nil
            }
        }
    }
}

extension Identifier where Subject == Node {
    /// The id of the node for `entity`: its `type:value` key, so every process derives the same id
    /// for the same entity without asking the store.
    public init(entity: EntityKey) {
        self.init(rawValue: entity.description)
    }
}

extension Identifier where Subject == Edge {
    /// The id of the `type` edge from `source` to `target`, derived like node ids.
    public init(from source: Node.ID, _ type: EdgeType, to target: Node.ID) {
        // Appended rather than interpolated: one is made for every relation of every artifact.
        var text = ""
        text.reserveCapacity(source.rawValue.utf8.count + type.rawValue.utf8.count + target.rawValue.utf8.count + 5)
        text += source.rawValue
        text += " -"
        text += type.rawValue
        text += "-> "
        text += target.rawValue
        self.init(rawValue: text)
    }
}
