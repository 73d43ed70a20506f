public import Foundation

/// A half-open interval of time, `[start, end)`.
public struct TimeRange: Sendable, Hashable {
    public var start: Date
    public var end: Date

    public init(start: Date, end: Date) {
        self.start = start
        self.end = end
    }

    /// Every time a store can hold.
    public static let all = TimeRange(
        start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 32_503_680_000))

    /// The last `duration` up to `now`.
    public static func last(_ duration: Duration, now: Date = Date()) -> TimeRange {
        TimeRange(start: now.addingTimeInterval(-duration.seconds), end: now)
    }

    public func contains(_ date: Date) -> Bool { date >= self.start && date < self.end }

    /// - Throws: ``StorageError`` `storage.invalid_query` when `end` is before `start`.
    public func validated() throws -> TimeRange {
        guard self.start <= self.end else { throw StorageError(.invalidQuery, "time range ends before it starts") }
        return self
    }
}

extension Duration {
    /// The duration in (fractional) seconds.
    var seconds: Double {
        let parts = self.components
        return Double(parts.seconds) + Double(parts.attoseconds) / 1e18
    }
}
