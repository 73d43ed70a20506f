public import Foundation
public import WFACore

/// How many artifacts have event times in one bucket, and how many of them no parser could read
/// (message type `unknown`): the dashboard's event rate and unknown-format rate.
public struct ArtifactCount: Sendable, Hashable {
    /// The bucket's first instant (the range's start plus whole buckets).
    public var start: Date
    public var total: Int
    public var unknown: Int

    public init(start: Date, total: Int, unknown: Int) {
        self.start = start
        self.total = total
        self.unknown = unknown
    }
}

/// A node by the traffic it started: its `communicates_with` edges' bytes and events.
public struct Talker: Sendable, Hashable {
    public var nodeID: Node.ID
    public var bytes: Int64
    public var artifactCount: Int64

    public init(nodeID: Node.ID, bytes: Int64, artifactCount: Int64) {
        self.nodeID = nodeID
        self.bytes = bytes
        self.artifactCount = artifactCount
    }
}

/// The buckets of a count over time.
public struct TimeBuckets: Sendable, Hashable {
    /// More buckets than this in one count is refused: a chart has no use for them.
    public static let maximumCount = 10_000

    public var range: TimeRange
    /// Whole seconds, at least 1.
    public var seconds: Int64

    /// - Throws: ``StorageError`` `storage.invalid_query` for a bad range, a bucket under a
    ///   second, or more than ``maximumCount`` buckets.
    public init(_ range: TimeRange, seconds: Int64) throws {
        self.range = try range.validated()
        guard seconds >= 1 else { throw StorageError(.invalidQuery, "a time bucket must be at least one second") }
        let span = range.end.timeIntervalSince(range.start)
        guard span / Double(seconds) <= Double(Self.maximumCount) else {
            throw StorageError(.invalidQuery, "more than \(Self.maximumCount) time buckets; use longer buckets")
        }
        self.seconds = seconds
    }

    /// The bucket `date` falls in, counted from the range's start. Reckoned in whole microseconds,
    /// as the stores keep time, so every adapter puts an instant on a boundary in the same bucket.
    public func index(of date: Date) -> Int64 {
        let offset = EpochMicroseconds.from(date) - EpochMicroseconds.from(self.range.start)
        let width = self.seconds * 1_000_000
        return offset >= 0 ? offset / width : (offset - width + 1) / width
    }

    public func start(ofBucket index: Int64) -> Date {
        EpochMicroseconds.date(EpochMicroseconds.from(self.range.start) + index * self.seconds * 1_000_000)
    }

    /// How many buckets cover the range (the last may be partial).
    public var count: Int {
        Int((self.range.end.timeIntervalSince(self.range.start) / Double(self.seconds)).rounded(.up))
    }
}
