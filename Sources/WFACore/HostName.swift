/// A host or domain name in canonical form: lower-case ASCII, without the trailing root dot.
///
/// DNS names are case-insensitive (RFC 4343), so `WWW.Example.COM.` and `www.example.com` are
/// one graph node. Validation of what counts as a plausible name belongs to the parsers; this
/// type only canonicalizes.
public struct HostName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Canonicalizes `rawValue`; nil when nothing is left after trimming.
    public init?(rawValue: String) {
        var name = rawValue.trimmingWhitespace().lowercased()
        while name.hasSuffix(".") { name.removeLast() }
        guard !name.isEmpty else { return nil }
        self.rawValue = name
    }

    public init?(_ text: String) {
        self.init(rawValue: text)
    }

    public var description: String { self.rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    // Codable comes from RawRepresentable: a single string, refused when `init?(rawValue:)` is.

}

extension String {
    /// The string without leading and trailing ASCII whitespace (Foundation-free on purpose).
    func trimmingWhitespace() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let first = self.firstIndex(where: { !isSpace($0) }),
            let last = self.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(self[first...last])
    }
}
