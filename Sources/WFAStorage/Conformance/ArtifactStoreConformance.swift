import Foundation
import WFACore

/// The promises of ``ArtifactStore``, one case each. Every adapter's tests run every case against
/// a fresh store: `try await property.check { try await makeStore() }`.
public enum ArtifactStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case appendedArtifactsReadBackUnchanged
    case appendIsIdempotentByID
    case searchFiltersByEveryField
    case searchOrdersByTimeThenID
    case pagingIsStableAndComplete
    case orgsNeverSeeEachOther
    case purgeRemovesExactlyTheExpired
    case concurrentWritersLoseNothing
    case invalidQueriesAreRejected
    case countsFallInTimeBuckets
    case uncountedPagesSayWhetherMoreFollow

    public var description: String { "ArtifactStore.\(self.rawValue)" }

    /// Runs this check against a store made by `makeStore`.
    /// - Throws: ``ConformanceFailure`` when the store breaks the promise, or the store's own error.
    public func check(_ makeStore: () async throws -> any ArtifactStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        switch self {
        case .appendedArtifactsReadBackUnchanged:
            let invalidUTF8: [UInt8] = [0x3c, 0x31, 0x33, 0x3e, 0xff, 0xfe, 0x00, 0x0a, 0x5c, 0x09]
            let artifacts = [
                Fixture.artifact(org: org, at: 10),
                Fixture.artifact(org: org, at: 20.123456, clientIP: "2001:DB8:0:0:0:0:0:1", raw: invalidUTF8),
                Artifact(orgID: org, timestamp: Fixture.time(30), source: "file", raw: []),
            ]
            try await store.append(artifacts)
            for artifact in artifacts {
                let stored = try await store.artifact(artifact.id, in: org)
                try verify.expectEqual(stored, artifact, "artifact \(artifact.id) read back")
            }
            try verify.expectEqual(try await store.artifact(.random(), in: org), nil, "unknown id")

        case .appendIsIdempotentByID:
            let first = Fixture.artifact(org: org, at: 1)
            let second = Fixture.artifact(org: org, at: 2)
            try await store.append([first, second])
            try await store.append([first, second])
            try await store.append([second, second, Fixture.artifact(org: org, at: 2, id: second.id)])
            let page = try await store.search(ArtifactQuery(), in: org)
            try verify.expectEqual(page.total, 2, "total after redelivery")
            try verify.expectEqual(Set(page.items.map(\.id)), [first.id, second.id], "ids after redelivery")

        case .countsFallInTimeBuckets:
            var unreadable = Fixture.artifact(org: org, at: 60)
            unreadable.messageType = .unknown
            try await store.append([
                Fixture.artifact(org: org, at: 0), Fixture.artifact(org: org, at: 59.999999), unreadable,
                Fixture.artifact(org: org, at: 185), Fixture.artifact(org: org, at: -1),
                Fixture.artifact(org: org, at: 240), Fixture.artifact(org: Fixture.org(), at: 10),
            ])
            let buckets = try TimeBuckets(TimeRange(start: Fixture.time(0), end: Fixture.time(240)), seconds: 60)
            try verify.expectEqual(
                try await store.counts(buckets, in: org),
                [
                    ArtifactCount(start: Fixture.time(0), total: 2, unknown: 0),
                    ArtifactCount(start: Fixture.time(60), total: 1, unknown: 1),
                    ArtifactCount(start: Fixture.time(180), total: 1, unknown: 0),
                ], "per bucket, boundaries in the later bucket, empty buckets and other orgs left out")

        case .searchFiltersByEveryField:
            let a = Fixture.artifact(org: org, at: 100, source: "syslog-tcp", messageType: .authFailure, user: "alice")
            var b = Fixture.artifact(org: org, at: 200, source: "http", messageType: .networkFlow, clientIP: "10.0.0.9")
            b.streamName = "firewall"
            b.raw = Array("DENY tcp 10.0.0.9 -> 8.8.8.8 MiXeD Case".utf8)
            let c = Fixture.artifact(org: org, at: 300, source: "http", messageType: .authFailure, user: "bob")
            try await store.append([a, b, c])
            func ids(_ query: ArtifactQuery) async throws -> Set<Artifact.ID> {
                Set(try await store.search(query, in: org).items.map(\.id))
            }
            try verify.expectEqual(try await ids(ArtifactQuery(source: "http")), [b.id, c.id], "source filter")
            try verify.expectEqual(try await ids(ArtifactQuery(streamName: "firewall")), [b.id], "stream filter")
            try verify.expectEqual(
                try await ids(ArtifactQuery(messageType: .authFailure)), [a.id, c.id], "message type filter")
            try verify.expectEqual(
                try await ids(ArtifactQuery(entity: EntityKey(type: .ip, value: "10.0.0.9"))), [b.id], "entity ip")
            try verify.expectEqual(
                try await ids(ArtifactQuery(entity: EntityKey(type: .user, value: "bob"))), [c.id], "entity user")
            try verify.expectEqual(
                try await ids(ArtifactQuery(entity: EntityKey(type: .host, value: "bastion.example.com"))),
                [a.id, b.id, c.id], "entity host (canonical)")
            try verify.expectEqual(try await ids(ArtifactQuery(text: "mixed CASE")), [b.id], "text, case-insensitive")
            try verify.expectEqual(try await ids(ArtifactQuery(text: "100%_x")), [], "text with LIKE wildcards")
            let range = TimeRange(start: Fixture.time(100), end: Fixture.time(300))
            try verify.expectEqual(try await ids(ArtifactQuery(timeRange: range)), [a.id, b.id], "half-open range")
            try verify.expectEqual(
                try await ids(ArtifactQuery(timeRange: range, source: "http", messageType: .networkFlow)), [b.id],
                "combined filters")

        case .searchOrdersByTimeThenID:
            let artifacts = [5.0, 1, 3, 3, 2].map { Fixture.artifact(org: org, at: $0) }
            try await store.append(artifacts)
            let newest = try await store.search(ArtifactQuery(order: .newestFirst), in: org).items
            let expected = artifacts.sorted { ($0.timestamp, $0.id) > ($1.timestamp, $1.id) }
            try verify.expectEqual(newest.map(\.id), expected.map(\.id), "newest first, ties by id descending")
            let oldest = try await store.search(ArtifactQuery(order: .oldestFirst), in: org).items
            try verify.expectEqual(oldest.map(\.id), expected.reversed().map(\.id), "oldest first")

        case .pagingIsStableAndComplete:
            // Many equal timestamps: only the id tie-break keeps pages from overlapping.
            let artifacts = (0..<53).map { Fixture.artifact(org: org, at: Double($0 % 4)) }
            try await store.append(artifacts)
            var seen: [Artifact.ID] = []
            var offset = 0
            while offset < 60 {
                let page = try await store.search(ArtifactQuery(page: PageRequest(limit: 7, offset: offset)), in: org)
                try verify.expectEqual(page.total, 53, "total on every page")
                try verify.expect(page.items.count <= 7, "page larger than limit")
                seen += page.items.map(\.id)
                offset += 7
            }
            try verify.expectEqual(seen.count, 53, "items across pages")
            try verify.expectEqual(Set(seen), Set(artifacts.map(\.id)), "every item exactly once")

        case .uncountedPagesSayWhetherMoreFollow:
            let artifacts = (0..<14).map { Fixture.artifact(org: org, at: Double($0 % 3)) }
            try await store.append(artifacts)
            func page(_ offset: Int) async throws -> Page<Artifact> {
                try await store.search(
                    ArtifactQuery(page: PageRequest(limit: 7, offset: offset), countsTotal: false), in: org)
            }
            let counted = try await store.search(ArtifactQuery(page: PageRequest(limit: 7)), in: org)
            let first = try await page(0)
            try verify.expectEqual(first.items, counted.items, "the same items as a counted page")
            try verify.expectEqual(first.total, 8, "a full page with more after it: one past the page")
            let last = try await page(7)
            try verify.expectEqual(last.items.count, 7, "second page")
            try verify.expectEqual(last.total, 14, "a full page that ends the matches: exactly the matches")
            try verify.expectEqual(try await page(14).total, 14, "past the end")
            let partial = try await store.search(
                ArtifactQuery(page: PageRequest(limit: 20), countsTotal: false), in: org)
            try verify.expectEqual(partial.total, 14, "a partial page: exactly the matches")

        case .orgsNeverSeeEachOther:
            let other = Fixture.org()
            let mine = Fixture.artifact(org: org, at: 1)
            let theirs = Fixture.artifact(org: other, at: 1)
            try await store.append([mine, theirs])
            try verify.expectEqual(try await store.artifact(theirs.id, in: org), nil, "get across orgs")
            let page = try await store.search(
                ArtifactQuery(entity: EntityKey(type: .ip, value: "203.0.113.7")), in: org)
            try verify.expectEqual(page.items.map(\.id), [mine.id], "search across orgs")
            try verify.expectEqual(page.total, 1, "total across orgs")

        case .purgeRemovesExactlyTheExpired:
            let day: Double = 86_400
            let old = (0..<3).map { Fixture.artifact(org: org, at: -10 * day + Double($0)) }
            let boundary = Fixture.artifact(org: org, at: -2 * day)  // exactly at the cutoff: kept
            let justBefore = Fixture.artifact(org: org, at: -2 * day - 0.000_001)
            let recent = (0..<4).map { Fixture.artifact(org: org, at: Double($0) * 3600) }
            try await store.append(old + [boundary, justBefore] + recent)
            let cutoff = Fixture.time(-2 * day)
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: true), 4, "dry run count")
            try verify.expectEqual(try await store.search(ArtifactQuery(), in: org).total, 9, "dry run removes nothing")
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: false), 4, "purged count")
            let left = Set(try await store.search(ArtifactQuery(), in: org).items.map(\.id))
            try verify.expectEqual(left, Set(([boundary] + recent).map(\.id)), "what is left")
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: false), 0, "second purge")

        case .concurrentWritersLoseNothing:
            let artifacts = (0..<400).map { Fixture.artifact(org: org, at: Double($0)) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    // Overlapping slices: every artifact is written by two writers.
                    let slice = (0..<100).map { artifacts[(writer * 50 + $0) % artifacts.count] }
                    group.addTask { try await store.append(slice) }
                }
                try await group.waitForAll()
            }
            var seen = Set<Artifact.ID>()
            for offset in stride(from: 0, to: 400, by: 200) {
                let page = try await store.search(
                    ArtifactQuery(page: PageRequest(limit: 200, offset: offset)), in: org)
                try verify.expectEqual(page.total, 400, "total after concurrent writes")
                seen.formUnion(page.items.map(\.id))
            }
            try verify.expectEqual(seen, Set(artifacts.map(\.id)), "every artifact stored once")

        case .invalidQueriesAreRejected:
            try await verify.expectError(.invalidQuery, "limit 0") {
                _ = try await store.search(ArtifactQuery(page: PageRequest(limit: 0)), in: org)
            }
            try await verify.expectError(.invalidQuery, "limit over maximum") {
                _ = try await store.search(ArtifactQuery(page: PageRequest(limit: 100_000)), in: org)
            }
            try await verify.expectError(.invalidQuery, "negative offset") {
                _ = try await store.search(ArtifactQuery(page: PageRequest(offset: -1)), in: org)
            }
            try await verify.expectError(.invalidQuery, "reversed range") {
                let range = TimeRange(start: Fixture.time(10), end: Fixture.time(0))
                _ = try await store.search(ArtifactQuery(timeRange: range), in: org)
            }
        }
    }
}
