import Foundation
import WFACore

/// Timestamps syslog senders write, read byte by byte into UTC.
enum SyslogTimestamp {
    static let months: [[UInt8]] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
        .map { Array($0.utf8) }

    /// `Mmm dd hh:mm:ss` (day space-padded) without a year: the year is the reference's, or the one
    /// before when that would put the event more than a day in the future (December logs read in
    /// January). Read as UTC: RFC 3164 carries no zone.
    static func bsd(_ bytes: [UInt8], at start: Int, reference: Date) -> (Date, Int)? {
        guard bytes.count >= start + 15, let month = Self.month(bytes, at: start), bytes[start + 3] == .space else {
            return nil
        }
        var index = start + 4
        if bytes[index] == .space { index += 1 }
        guard let day = Self.number(bytes, at: index, digits: bytes[index + 1].isDigit ? 2 : 1) else { return nil }
        index += bytes[index + 1].isDigit ? 2 : 1
        // Cisco devices write the year after the day: `Mmm dd yyyy hh:mm:ss`.
        var statedYear: Int?
        if index + 6 <= bytes.count, bytes[index] == .space, bytes[index + 5] == .space,
            let year = Self.number(bytes, at: index + 1, digits: 4)
        {
            statedYear = year
            index += 5
        }
        guard index + 9 <= bytes.count, bytes[index] == .space, let hour = Self.number(bytes, at: index + 1, digits: 2),
            bytes[index + 3] == .colon, let minute = Self.number(bytes, at: index + 4, digits: 2),
            bytes[index + 6] == .colon, let second = Self.number(bytes, at: index + 7, digits: 2)
        else { return nil }
        index += 9
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            (micros, index) = Self.fraction(bytes, at: index + 1)
        }
        let year = Self.year(of: reference)
        for candidate in statedYear.map({ [$0] }) ?? [year, year - 1] {
            guard
                let date = Self.date(
                    year: candidate, month: month, day: day, hour: hour, minute: minute, second: second, micros: micros)
            else { return nil }
            if statedYear != nil || date.timeIntervalSince(reference) <= 86_400 { return (date, index) }
        }
        return nil
    }

    /// `YYYY-MM-DD[T ]hh:mm:ss[.frac][Z|±hh:mm]`; no zone means UTC.
    static func iso8601(_ bytes: [UInt8], at start: Int) -> (Date, Int)? {
        guard bytes.count >= start + 19, let year = Self.number(bytes, at: start, digits: 4),
            bytes[start + 4] == UInt8(ascii: "-"), let month = Self.number(bytes, at: start + 5, digits: 2),
            bytes[start + 7] == UInt8(ascii: "-"), let day = Self.number(bytes, at: start + 8, digits: 2),
            bytes[start + 10] == UInt8(ascii: "T") || bytes[start + 10] == .space,
            let hour = Self.number(bytes, at: start + 11, digits: 2), bytes[start + 13] == .colon,
            let minute = Self.number(bytes, at: start + 14, digits: 2), bytes[start + 16] == .colon,
            let second = Self.number(bytes, at: start + 17, digits: 2)
        else { return nil }
        var index = start + 19
        var micros = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == .comma {
            (micros, index) = Self.fraction(bytes, at: index + 1)
        }
        var offset = 0
        if index < bytes.count, bytes[index] == UInt8(ascii: "Z") {
            index += 1
        } else if index + 5 <= bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-"),
            let hours = Self.number(bytes, at: index + 1, digits: 2)
        {
            // `+hh:mm` (RFC 3339) or `+hhmm` (Suricata, strftime's %z).
            let colon = bytes[index + 3] == .colon
            if let minutes = Self.number(bytes, at: index + (colon ? 4 : 3), digits: 2) {
                offset = (hours * 3600 + minutes * 60) * (bytes[index] == UInt8(ascii: "-") ? -1 : 1)
                index += colon ? 6 : 5
            }
        }
        guard
            let date = Self.date(
                year: year, month: month - 1, day: day, hour: hour, minute: minute, second: second, micros: micros)
        else { return nil }
        return (date.addingTimeInterval(TimeInterval(-offset)), index)
    }

    static func month(_ bytes: [UInt8], at index: Int) -> Int? {
        guard index + 3 <= bytes.count else { return nil }
        let name = [bytes[index].lowercasedASCII, bytes[index + 1].lowercasedASCII, bytes[index + 2].lowercasedASCII]
        return Self.months.firstIndex(of: name)
    }

    static func number(_ bytes: [UInt8], at index: Int, digits: Int) -> Int? {
        guard index + digits <= bytes.count else { return nil }
        var value = 0
        for offset in 0..<digits {
            let byte = bytes[index + offset]
            if byte == .space && offset == 0 && digits == 2 { continue }
            guard byte.isDigit else { return nil }
            value = value * 10 + Int(byte - 0x30)
        }
        return value
    }

    /// Fractional seconds to microseconds; returns the index after the digits.
    static func fraction(_ bytes: [UInt8], at start: Int) -> (Int, Int) {
        var index = start
        var micros = 0
        var digits = 0
        while index < bytes.count, bytes[index].isDigit {
            if digits < 6 {
                micros = micros * 10 + Int(bytes[index] - 0x30)
                digits += 1
            }
            index += 1
        }
        while digits < 6 {
            micros *= 10
            digits += 1
        }
        return (micros, index)
    }

    /// The UTC year of `date`.
    static func year(of date: Date) -> Int {
        Int(CivilDate.fromDays(Int64((date.timeIntervalSince1970 / 86_400).rounded(.down))).year)
    }

    /// A UTC date from its parts without a Calendar call per event; `month` is 0-based.
    static func date(year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int, micros: Int) -> Date? {
        guard (0..<12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second <= 60 else {
            return nil
        }
        let days = CivilDate.days(year: Int64(year), month: Int64(month + 1), day: Int64(day))
        let seconds = Int(days) * 86_400 + hour * 3600 + minute * 60 + second
        return Date(timeIntervalSince1970: TimeInterval(seconds) + TimeInterval(micros) / 1_000_000)
    }
}
