/// A host or domain name in canonical form: lower-case ASCII, without the trailing root dot.
///
/// DNS names are case-insensitive (RFC 4343), so `WWW.Example.COM.` and `www.example.com` are
/// one graph node. Validation of what counts as a plausible name belongs to the parsers; this
/// type only canonicalizes.
public struct HostName: RawRepresentable, Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String

    /// Canonicalizes `rawValue`; nil when nothing is left after trimming.
    ///
    /// Works on bytes: every event names a host or two, and the name is nearly always canonical
    /// already, so it is then kept as it came, without a copy.
    public init?(rawValue: String) {
        let utf8 = rawValue.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start].isWhitespace { start = utf8.index(after: start) }
        while end > start, utf8[utf8.index(before: end)].isWhitespace { end = utf8.index(before: end) }
        while end > start, utf8[utf8.index(before: end)] == UInt8(ascii: ".") { end = utf8.index(before: end) }
        guard start < end else { return nil }
        let name = utf8[start..<end]
        if name.contains(where: { $0 &- UInt8(ascii: "A") < 26 || $0 >= 0x80 }) {
            // Upper case, or beyond ASCII (an IDN as typed): the standard library lower-cases it.
            self.rawValue = String(Substring(name)).lowercased()
        } else {
            self.rawValue = start == utf8.startIndex && end == utf8.endIndex ? rawValue : String(Substring(name))
        }
    }

    public init?(_ text: String) {
        self.init(rawValue: text)
    }

    public var description: String { self.rawValue }

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    // Codable comes from RawRepresentable: a single string, refused when `init?(rawValue:)` is.

}
