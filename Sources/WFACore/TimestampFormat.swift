public import Foundation

/// ISO 8601 / RFC 3339 text for instants, always written in UTC with microseconds
/// (`2026-11-21T16:04:51.123456Z`), the form every wfa API and stored document uses.
///
/// Hand-written rather than `ISO8601DateFormatter` because Foundation's formatter keeps only
/// milliseconds and is a hot spot when a million rows are encoded for COPY.
public enum TimestampFormat {
    /// `date` as `YYYY-MM-DDTHH:MM:SS.ffffffZ`.
    public static func string(from date: Date) -> String {
        String(unsafeUninitializedCapacity: Self.maximumLength) { Self.write(date, into: $0) }
    }

    /// Appends `string(from: date)` as UTF-8, without making the string: documents written for
    /// the bus and for COPY carry several times per event.
    package static func append(_ date: Date, to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: Self.maximumLength) { buffer in
            bytes.append(contentsOf: buffer[..<Self.write(date, into: buffer)])
        }
    }

    /// A sign, up to 15 year digits (dates are clamped to about ±292,000 years, see
    /// ``EpochMicroseconds``) and the 23 bytes after the year.
    private static let maximumLength = 40

    private static func write(_ date: Date, into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let micros = EpochMicroseconds.from(date)
        let (secondsFloor, fraction) = Self.floorDivide(micros, 1_000_000)
        let (days, secondOfDay) = Self.floorDivide(secondsFloor, 86_400)
        let (year, month, day) = CivilDate.fromDays(days)
        var count = 0
        func put(_ byte: UInt8) {
            buffer[count] = byte
            count += 1
        }
        func put(_ value: Int64, width: Int) {
            var digits = 1
            var rest = value / 10
            while rest > 0 {
                digits += 1
                rest /= 10
            }
            for _ in digits..<max(width, digits) { put(UInt8(ascii: "0")) }
            var remaining = value
            for offset in stride(from: digits - 1, through: 0, by: -1) {
                buffer[count + offset] = UInt8(ascii: "0") + UInt8(remaining % 10)
                remaining /= 10
            }
            count += digits
        }
        if year < 0 { put(UInt8(ascii: "-")) }
        put(Int64(clamping: year.magnitude), width: 4)
        put(UInt8(ascii: "-"))
        put(Int64(month), width: 2)
        put(UInt8(ascii: "-"))
        put(Int64(day), width: 2)
        put(UInt8(ascii: "T"))
        put(secondOfDay / 3600, width: 2)
        put(UInt8(ascii: ":"))
        put(secondOfDay / 60 % 60, width: 2)
        put(UInt8(ascii: ":"))
        put(secondOfDay % 60, width: 2)
        put(UInt8(ascii: "."))
        put(fraction, width: 6)
        put(UInt8(ascii: "Z"))
        return count
    }

    /// Parses `YYYY-MM-DD[T ]HH:MM[:SS[.fraction]](Z|±HH[:]MM)`; nil for anything else.
    /// A time without a zone is refused: guessing a zone silently shifts events.
    public static func date(from text: some StringProtocol) -> Date? {
        var scanner = DigitScanner(Array(text.utf8))
        guard let year = scanner.number(digits: 4), scanner.skip("-"),
            let month = scanner.number(digits: 2), scanner.skip("-"),
            let day = scanner.number(digits: 2), scanner.skip("T") || scanner.skip("t") || scanner.skip(" "),
            let hour = scanner.number(digits: 2), scanner.skip(":"),
            let minute = scanner.number(digits: 2)
        else { return nil }
        var second: Int64 = 0
        var micros: Int64 = 0
        if scanner.skip(":") {
            guard let value = scanner.number(digits: 2) else { return nil }
            second = value
            if scanner.skip(".") || scanner.skip(",") {
                guard let fraction = scanner.fractionMicroseconds() else { return nil }
                micros = fraction
            }
        }
        var offsetSeconds: Int64 = 0
        if scanner.skip("Z") || scanner.skip("z") {
            offsetSeconds = 0
        } else if let sign = scanner.sign() {
            guard let hours = scanner.number(digits: 2) else { return nil }
            _ = scanner.skip(":")
            guard let minutes = scanner.number(digits: 2), hours < 24, minutes < 60 else { return nil }
            offsetSeconds = sign * (hours * 3600 + minutes * 60)
        } else {
            return nil
        }
        guard scanner.atEnd, (1...12).contains(month), day >= 1, day <= CivilDate.daysIn(month: month, year: year),
            hour < 24, minute < 60, second < 61
        else { return nil }
        let days = CivilDate.days(year: year, month: month, day: day)
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + min(second, 59) - offsetSeconds
        return EpochMicroseconds.date(seconds * 1_000_000 + micros)
    }

    private static func floorDivide(_ value: Int64, _ divisor: Int64) -> (Int64, Int64) {
        let result = value.quotientAndRemainder(dividingBy: divisor)
        return result.remainder < 0 ? (result.quotient - 1, result.remainder + divisor) : result
    }
}

/// Days-from-civil arithmetic on the proleptic Gregorian calendar (H. Hinnant's algorithms),
/// exact for every date and free of calendar objects and locks.
public enum CivilDate {
    /// Days since 1970-01-01 of a date; `month` is 1...12.
    public static func days(year: Int64, month: Int64, day: Int64) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The date `days` after 1970-01-01; `month` is 1...12.
    public static func fromDays(_ days: Int64) -> (year: Int64, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), Int(month), Int(day))
    }

    static func daysIn(month: Int64, year: Int64) -> Int64 {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}

/// A cursor over ASCII bytes for the fixed-layout timestamp grammar.
private struct DigitScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    var atEnd: Bool { self.index == self.bytes.count }

    mutating func skip(_ character: Character) -> Bool {
        guard let ascii = character.asciiValue, self.index < self.bytes.count, self.bytes[self.index] == ascii else {
            return false
        }
        self.index += 1
        return true
    }

    mutating func number(digits: Int) -> Int64? {
        guard self.index + digits <= self.bytes.count else { return nil }
        var value: Int64 = 0
        for offset in 0..<digits {
            let byte = self.bytes[self.index + offset]
            guard byte >= 0x30, byte <= 0x39 else { return nil }
            value = value * 10 + Int64(byte - 0x30)
        }
        self.index += digits
        return value
    }

    mutating func sign() -> Int64? {
        if self.skip("+") { return 1 }
        if self.skip("-") { return -1 }
        return nil
    }

    /// Up to nine fraction digits; digits past the sixth are dropped (truncation, as PostgreSQL rounds
    /// only at input and wfa keeps microseconds).
    mutating func fractionMicroseconds() -> Int64? {
        var micros: Int64 = 0
        var count = 0
        while self.index < self.bytes.count, self.bytes[self.index] >= 0x30, self.bytes[self.index] <= 0x39 {
            if count < 6 { micros = micros * 10 + Int64(self.bytes[self.index] - 0x30) }
            count += 1
            self.index += 1
        }
        guard (1...9).contains(count) else { return nil }
        if count < 6 {
            for _ in count..<6 { micros *= 10 }
        }
        return micros
    }
}
