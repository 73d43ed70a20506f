public import WFACore

/// A search over artifacts. Every filter is optional except the time range.
///
/// Backing indexes (so a Cassandra adapter can answer it without joins): the time range walks
/// `artifacts_by_hour` buckets; `entity` reads `artifacts_by_entity`; the other filters are
/// evaluated on the rows those tables return.
public struct ArtifactQuery: Sendable, Hashable {
    public var timeRange: TimeRange
    public var source: String?
    public var streamName: String?
    public var messageType: MessageType?
    /// Artifacts that name this entity (see ``Artifact/entityKeys``).
    public var entity: EntityKey?
    /// A substring of the raw message bytes, ASCII case-insensitive.
    public var text: String?
    public var order: SortOrder
    public var page: PageRequest
    /// Whether the page's `total` counts every match. Counting reads every match in the range,
    /// which a caller walking pages or taking the newest few does not need; without it `total` is
    /// the matches up to the end of this page, plus one when more follow.
    public var countsTotal: Bool

    public init(
        timeRange: TimeRange = .all,
        source: String? = nil,
        streamName: String? = nil,
        messageType: MessageType? = nil,
        entity: EntityKey? = nil,
        text: String? = nil,
        order: SortOrder = .newestFirst,
        page: PageRequest = PageRequest(),
        countsTotal: Bool = true
    ) {
        self.countsTotal = countsTotal
        self.timeRange = timeRange
        self.source = source
        self.streamName = streamName
        self.messageType = messageType
        self.entity = entity
        self.text = text
        self.order = order
        self.page = page
    }

    /// Whether `artifact` passes every filter (the reference semantics adapters must match).
    public func matches(_ artifact: Artifact) -> Bool {
        guard self.timeRange.contains(artifact.timestamp) else { return false }
        if let source, artifact.source != source { return false }
        if let streamName, artifact.streamName != streamName { return false }
        if let messageType, artifact.messageType != messageType { return false }
        if let entity, !artifact.entityKeys.contains(entity) { return false }
        if let text, !text.isEmpty, !Self.raw(artifact.raw, containsCaseInsensitive: Array(text.utf8)) {
            return false
        }
        return true
    }

    static func raw(_ haystack: [UInt8], containsCaseInsensitive needle: [UInt8]) -> Bool {
        let lower: (UInt8) -> UInt8 = { $0 >= 0x41 && $0 <= 0x5a ? $0 | 0x20 : $0 }
        let needle = needle.map(lower)
        guard needle.count <= haystack.count else { return false }
        for start in 0...(haystack.count - needle.count) {
            var index = 0
            while index < needle.count, lower(haystack[start + index]) == needle[index] { index += 1 }
            if index == needle.count { return true }
        }
        return false
    }
}
