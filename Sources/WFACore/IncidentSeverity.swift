/// An incident's severity, named as analysts say it.
public enum IncidentSeverity: String, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case informational
    case low
    case medium
    case high
    case critical

    /// The incident severity an artifact severity code maps to.
    public init(_ code: SeverityCode) {
        switch code {
        case .critical: self = .critical
        case .high: self = .high
        case .medium: self = .medium
        case .low: self = .low
        case .info: self = .informational
        }
    }

    private var rank: Int { Self.allCases.firstIndex(of: self) ?? 0 }

    /// `critical` is the greatest.
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rank < rhs.rank }
}
