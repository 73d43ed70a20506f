public import Foundation

/// Times in wfa have microsecond precision, the precision of PostgreSQL `timestamptz` and of
/// Zeek and Suricata timestamps. Normalizing every stored time to whole microseconds makes a
/// value read back from any store compare equal to the value written.
public enum EpochMicroseconds {
    /// Microseconds since 1970-01-01T00:00:00Z, rounded to the nearest microsecond.
    public static func from(_ date: Date) -> Int64 {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        // Dates beyond ±292,000 years cannot come from a log; clamp instead of trapping.
        guard micros.isFinite else { return 0 }
        return Int64(max(min(micros, 9.2e18), -9.2e18))
    }

    /// The date `micros` microseconds after the epoch.
    public static func date(_ micros: Int64) -> Date {
        let seconds = micros.quotientAndRemainder(dividingBy: 1_000_000)
        return Date(timeIntervalSince1970: Double(seconds.quotient) + Double(seconds.remainder) / 1_000_000)
    }

    /// The UTC calendar day of `date`, as days since 1970-01-01 (negative before it): the bucket that
    /// day-partitioned storage files a record under.
    public static func utcDayIndex(of date: Date) -> Int64 {
        let (quotient, remainder) = Self.from(date).quotientAndRemainder(dividingBy: 86_400_000_000)
        return remainder < 0 ? quotient - 1 : quotient
    }

    /// `date` rounded to whole microseconds; idempotent.
    public static func normalize(_ date: Date) -> Date {
        Self.date(Self.from(date))
    }
}
