import Foundation
import WFACore

/// A calendar day in UTC, as the partitions count them (days since 1970-01-01).
struct UTCDay: Hashable, Comparable, Sendable, Strideable {
    let index: Int64

    init(index: Int64) { self.index = index }

    init(_ date: Date) {
        self.index = EpochMicroseconds.utcDayIndex(of: date)
    }

    /// Parses `YYYYMMDD`.
    init?(compact: String) {
        guard compact.count == 8, compact.allSatisfy(\.isASCII), let value = Int(compact) else { return nil }
        let text =
            "\(value / 10_000)-\(String(format: "%02d", value / 100 % 100))-\(String(format: "%02d", value % 100))"
        guard let date = TimestampFormat.date(from: text + "T00:00:00Z") else { return nil }
        self.init(date)
    }

    func adding(_ days: Int) -> UTCDay { UTCDay(index: self.index + Int64(days)) }

    /// Midnight UTC at the start of the day.
    var start: Date { EpochMicroseconds.date(self.index * 86_400_000_000) }

    /// `YYYY-MM-DD`: the date part of the day's ``TimestampFormat`` text, which ends at its `T`.
    var text: String {
        var bytes: [UInt8] = []
        TimestampFormat.append(self.start, to: &bytes)
        bytes.removeSubrange((bytes.firstIndex(of: UInt8(ascii: "T")) ?? bytes.count)...)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func < (lhs: Self, rhs: Self) -> Bool { lhs.index < rhs.index }
    func distance(to other: Self) -> Int64 { other.index - self.index }
    func advanced(by n: Int64) -> Self { UTCDay(index: self.index + n) }
}

extension ClosedRange where Bound == UTCDay {
    /// The range grown to take in `day`: an edge's days, widened by each day it is seen on.
    func including(_ day: UTCDay) -> Self {
        Swift.min(self.lowerBound, day)...Swift.max(self.upperBound, day)
    }

    /// The smallest range holding both.
    func including(_ other: Self) -> Self {
        Swift.min(self.lowerBound, other.lowerBound)...Swift.max(self.upperBound, other.upperBound)
    }

    /// Whether every day of `other` is in this range.
    func covers(_ other: Self) -> Bool {
        self.lowerBound <= other.lowerBound && self.upperBound >= other.upperBound
    }
}
