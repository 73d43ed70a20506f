public import Foundation

/// The JSON conventions of every wfa document, stored or sent: ISO 8601 UTC times with
/// microseconds (``TimestampFormat``), keys sorted so equal values encode to equal bytes.
public enum WireFormat {
    /// A new encoder with wfa's conventions. Encoders are cheap; make one per task rather than
    /// sharing one across threads.
    public static func makeEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimestampFormat.string(from: date))
        }
        return encoder
    }

    /// A new decoder with wfa's conventions; accepts any RFC 3339 time with a zone.
    public static func makeDecoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = TimestampFormat.date(from: text) else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "expected an ISO 8601 time with a zone")
            }
            return date
        }
        return decoder
    }
}
