public import Foundation
public import WFACore

/// One parsed message: the normalized artifact (raw bytes always kept) and the format it was read as.
public struct ParseResult: Sendable {
    public var artifact: Artifact
    public var format: LogFormat
    /// True when the message was a header or comment line of its format (a Zeek `#fields` line) that
    /// configures the stream rather than records an event.
    public var isDirective: Bool

    public init(artifact: Artifact, format: LogFormat, isDirective: Bool = false) {
        self.artifact = artifact
        self.format = format
        self.isDirective = isDirective
    }
}

extension ParseResult {
    /// The artifact as `wfa parse` prints it: JSON with sorted keys, without the random id and the
    /// receive time, the raw bytes as text (`raw_text`) and the detected `format`.
    public func displayJSON() throws -> Data {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(TimestampFormat.string(from: date))
        }
        let encoded = try encoder.encode(self.artifact)
        guard var object = try JSONSerialization.jsonObject(with: encoded) as? [String: Any] else { return encoded }
        object["id"] = nil
        object["received_at"] = nil
        object["raw"] = nil
        object["raw_text"] = String(decoding: self.artifact.raw, as: UTF8.self)
        object["format"] = self.format.rawValue
        return try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])
    }
}
