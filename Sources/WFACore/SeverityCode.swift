/// An artifact's severity in the reference numbering: 1 is the most severe.
public enum SeverityCode: Int, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case critical = 1
    case high = 2
    case medium = 3
    case low = 4
    case info = 5

    /// More severe sorts first, matching the numbering.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
