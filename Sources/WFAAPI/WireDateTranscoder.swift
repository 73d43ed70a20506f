import Foundation
import OpenAPIRuntime
import WFACore

/// Dates in requests and responses: written with microseconds (as stored), read in any RFC 3339
/// form with a zone, so `2026-11-21T10:00:00Z` in a query works as well as a time with fractions.
struct WireDateTranscoder: DateTranscoder {
    func encode(_ date: Date) throws -> String {
        TimestampFormat.string(from: date)
    }

    func decode(_ text: String) throws -> Date {
        guard let date = TimestampFormat.date(from: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [], debugDescription: "'\(text)' is not an ISO 8601 time with a zone"))
        }
        return date
    }
}
