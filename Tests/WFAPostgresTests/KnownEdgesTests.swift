import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

/// The cache of edges a process knows are on the graph, on its own.
struct KnownEdgesTests {
    let org = Org.ID("org-a")
    let edge = Edge.ID("communicates_with:ip:10.0.0.1>ip:10.0.0.2")
    let day = UTCDay(index: 20_000)

    @Test("an edge counts as known only on days inside the ones remembered for it")
    func coversRememberedDays() {
        let known = KnownEdges()
        #expect(known.covered([self.edge: self.day...self.day], in: self.org, generation: 7).isEmpty)
        known.remember([self.edge: self.day...self.day.advanced(by: 2)], in: self.org, generation: 7)
        #expect(
            known.covered([self.edge: self.day.advanced(by: 1)...self.day.advanced(by: 2)], in: self.org, generation: 7)
                == [self.edge])
        #expect(known.covered([self.edge: self.day...self.day.advanced(by: 3)], in: self.org, generation: 7).isEmpty)
        #expect(known.covered([self.edge: self.day.advanced(by: -1)...self.day], in: self.org, generation: 7).isEmpty)
        #expect(known.covered([self.edge: self.day...self.day], in: Org.ID("org-b"), generation: 7).isEmpty)
        known.remember([self.edge: self.day.advanced(by: -1)...self.day.advanced(by: -1)], in: self.org, generation: 7)
        #expect(
            known.covered(
                [self.edge: self.day.advanced(by: -1)...self.day.advanced(by: 2)], in: self.org, generation: 7) == [
                    self.edge
                ])
    }

    @Test("a new generation forgets every edge, and what was written under an old one is not remembered")
    func generationsStartOver() {
        let known = KnownEdges()
        _ = known.covered([:], in: self.org, generation: 1)
        known.remember([self.edge: self.day...self.day], in: self.org, generation: 1)
        #expect(known.covered([self.edge: self.day...self.day], in: self.org, generation: 2).isEmpty)
        #expect(known.count == 0)
        known.remember([self.edge: self.day...self.day], in: self.org, generation: 1)
        #expect(known.count == 0)
    }

    @Test("a full cache starts over instead of growing")
    func capacityBounds() {
        let known = KnownEdges(capacity: 3)
        _ = known.covered([:], in: self.org, generation: 1)
        let edges = (0..<3).map { Edge.ID("e\($0)") }
        known.remember(
            Dictionary(uniqueKeysWithValues: edges.map { ($0, self.day...self.day) }), in: self.org, generation: 1)
        #expect(known.count == 3)
        known.remember([Edge.ID("e3"): self.day...self.day], in: self.org, generation: 1)
        #expect(known.count == 1)
        #expect(known.covered([Edge.ID("e3"): self.day...self.day], in: self.org, generation: 1) == [Edge.ID("e3")])
    }
}

/// The cache against PostgreSQL, where other processes write and purge the same graph.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresKnownEdgesTests {
    /// 2026-03-10T12:00:00Z.
    static let now = Date(timeIntervalSince1970: 1_773_144_000)
    static let day: TimeInterval = 86_400
    static let edge = Edge.ID(from: "ip:10.0.0.1", .communicatesWith, to: "ip:10.0.0.2")

    static func seen(_ id: String, org: Org.ID, daysAgo: Double) -> GraphDelta {
        TestGraph.communication(
            id, org: org, from: "10.0.0.1", to: "10.0.0.2", at: Self.now.addingTimeInterval(-daysAgo * Self.day))
    }

    /// Runs `body` with a second handle on the database (its own cache), as another process.
    static func inOtherProcess(_ url: String, _ body: (PostgresDatabase) async throws -> Void) async throws {
        let other = try await PostgresDatabase.open(
            .init(url: url, maximumConnections: 1, retryTimeout: .seconds(5), now: { Self.now }),
            logger: TestDatabase.logger)
        do {
            try await body(other)
        } catch {
            await other.close()
            throw error
        }
        await other.close()
    }

    /// A fresh database whose graph has seen the edge once, `daysAgo` days back (delta "d1").
    static func afterFirstSighting(
        daysAgo: Double, _ body: (PostgresDatabase, String, Org.ID) async throws -> Void
    ) async throws {
        try await TestDatabase.withFreshDatabase(now: { Self.now }) { database, url in
            let org = Org.ID.random()
            try await database.storage.graph.apply([Self.seen("d1", org: org, daysAgo: daysAgo)])
            try await body(database, url, org)
        }
    }

    @Test("an edge another process purged is written again when it is seen again")
    func purgedEdgeComesBack() async throws {
        try await Self.afterFirstSighting(daysAgo: 10) { database, url, org in
            let graph = database.storage.graph
            #expect(database.knownEdges.count == 1)

            try await Self.inOtherProcess(url) { purger in
                _ = try await purger.storage.graph.purge(
                    before: Self.now.addingTimeInterval(-9 * Self.day), dryRun: false)
            }
            #expect(try await graph.edge(Self.edge, in: org) == nil)

            try await graph.apply([Self.seen("d2", org: org, daysAgo: 10)])
            let edge = try #require(try await graph.edge(Self.edge, in: org))
            #expect(edge.artifactCount == 1)
            #expect(try await graph.node("ip:10.0.0.1", in: org)?.edgeCount == 1)
        }
    }

    @Test("an edge seen on a new day takes the day into its totals, whichever process wrote it before")
    func newDaysWidenKnownEdges() async throws {
        try await Self.afterFirstSighting(daysAgo: 3) { database, url, org in
            let graph = database.storage.graph
            try await Self.inOtherProcess(url) {
                try await $0.storage.graph.apply([Self.seen("d2", org: org, daysAgo: 1)])
            }
            try await graph.apply([Self.seen("d3", org: org, daysAgo: 1)])
            try await graph.apply([Self.seen("d4", org: org, daysAgo: 3)])
            try await graph.apply([Self.seen("d5", org: org, daysAgo: 5)])

            let edge = try #require(try await graph.edge(Self.edge, in: org))
            #expect(edge.artifactCount == 5)
            #expect(edge.firstSeen == Self.now.addingTimeInterval(-5 * Self.day))
            #expect(edge.lastSeen == Self.now.addingTimeInterval(-1 * Self.day))
            #expect(try await graph.node("ip:10.0.0.1", in: org)?.edgeCount == 1)
        }
    }
}
