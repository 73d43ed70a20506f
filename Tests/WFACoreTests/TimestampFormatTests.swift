import Foundation
import Testing
import WFACore

struct TimestampFormatTests {
    @Test("times are written in UTC with microseconds")
    func writesUTCWithMicroseconds() {
        let date = EpochMicroseconds.date(1_763_741_091_123_456)
        #expect(TimestampFormat.string(from: date) == "2025-11-21T16:04:51.123456Z")
        #expect(TimestampFormat.string(from: EpochMicroseconds.date(-1)) == "1969-12-31T23:59:59.999999Z")
    }

    @Test(
        "RFC 3339 forms parse to the same instant",
        arguments: [
            "2025-11-21T16:04:51.123456Z", "2025-11-21T17:04:51.123456+01:00", "2025-11-21 16:04:51.123456z",
            "2025-11-21T11:04:51.123456789-0500",
        ])
    func parsesZonedForms(text: String) throws {
        let date = try #require(TimestampFormat.date(from: text))
        #expect(EpochMicroseconds.from(date) == 1_763_741_091_123_456)
    }

    @Test(
        "times without a zone or with impossible fields are refused",
        arguments: [
            "2025-11-21T16:04:51", "2025-02-30T00:00:00Z", "2025-13-01T00:00:00Z", "2025-11-21T24:00:00Z", "x", "",
        ])
    func refusesAmbiguousOrInvalid(text: String) {
        #expect(TimestampFormat.date(from: text) == nil)
    }

    @Test(
        "microsecond normalization is idempotent and survives a round trip",
        arguments: [0.0, 1.1, 1e9 + 0.000_000_7, -5.5])
    func normalizationIsStable(seconds: Double) throws {
        let once = EpochMicroseconds.normalize(Date(timeIntervalSince1970: seconds))
        #expect(EpochMicroseconds.normalize(once) == once)
        #expect(try #require(TimestampFormat.date(from: TimestampFormat.string(from: once))) == once)
    }
}
