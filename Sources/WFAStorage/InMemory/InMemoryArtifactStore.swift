public import Foundation
public import WFACore

/// An ``ArtifactStore`` in memory: the reference semantics, for tests and for `wfa` without a database.
public actor InMemoryArtifactStore: ArtifactStore {
    private var artifacts: [Artifact.ID: Artifact] = [:]

    public init() {}

    public func append(_ batch: [Artifact]) async throws {
        for artifact in batch where self.artifacts[artifact.id] == nil {
            self.artifacts[artifact.id] = artifact
        }
    }

    public func artifact(_ id: Artifact.ID, in org: Org.ID) async throws -> Artifact? {
        self.artifacts[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func search(_ query: ArtifactQuery, in org: Org.ID) async throws -> Page<Artifact> {
        let page = try query.page.validated()
        _ = try query.timeRange.validated()
        let matches = self.artifacts.values.filter { $0.orgID == org && query.matches($0) }
        let ordered = matches.sorted { lhs, rhs in
            if lhs.timestamp != rhs.timestamp {
                return query.order == .newestFirst ? lhs.timestamp > rhs.timestamp : lhs.timestamp < rhs.timestamp
            }
            return query.order == .newestFirst ? lhs.id > rhs.id : lhs.id < rhs.id
        }
        let counted = Page(slicing: ordered, page)
        guard !query.countsTotal else { return counted }
        let reached = page.offset + counted.items.count
        return Page(
            items: counted.items, total: reached + (counted.total > reached ? 1 : 0), limit: page.limit,
            offset: page.offset)
    }

    public func counts(_ buckets: TimeBuckets, in org: Org.ID) async throws -> [ArtifactCount] {
        var counts: [Int64: ArtifactCount] = [:]
        for artifact in self.artifacts.values where artifact.orgID == org && buckets.range.contains(artifact.timestamp)
        {
            let index = buckets.index(of: artifact.timestamp)
            var count = counts[index] ?? ArtifactCount(start: buckets.start(ofBucket: index), total: 0, unknown: 0)
            count.total += 1
            if artifact.messageType == .unknown { count.unknown += 1 }
            counts[index] = count
        }
        return counts.sorted { $0.key < $1.key }.map(\.value)
    }

    public func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let expired = self.artifacts.values.filter { $0.timestamp < cutoff }.map(\.id)
        if !dryRun {
            for id in expired { self.artifacts[id] = nil }
        }
        return expired.count
    }
}
