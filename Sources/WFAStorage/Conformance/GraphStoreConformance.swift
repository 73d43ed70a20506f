import Foundation
import WFACore

/// The promises of ``GraphStore``.
public enum GraphStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case deltasCreateNodesAndEdges
    case applyingADeltaTwiceCountsOnce
    case observationsWidenAndCount
    case edgeCountCountsDistinctEdges
    case searchNodesByTypePrefixAndFlags
    case flagsCanBeSet
    case searchEdgesByDirectionTypeAndTime
    case edgesTouchingNodesTakeTheNewestPerNode
    case orgsNeverSeeEachOther
    case purgeRemovesExactlyTheExpired
    case concurrentDeltasLoseNothing
    case topTalkersRankBytesSentOnTheRangeDays

    public var description: String { "GraphStore.\(self.rawValue)" }

    private static func delta(
        _ id: String, org: Org.ID, at seconds: Double, client: String = "10.0.0.1", server: String = "198.51.100.2",
        bytes: Int64 = 100
    ) -> GraphDelta {
        let clientID = Node.ID("ip:\(client)")
        let serverID = Node.ID("ip:\(server)")
        return GraphDelta(
            id: id, orgID: org,
            nodes: [
                NodeObservation(
                    id: clientID, type: .ip, value: client, seenAt: Fixture.time(seconds),
                    initialFlags: NodeFlags(internal: client.hasPrefix("10."))),
                NodeObservation(id: serverID, type: .ip, value: server, seenAt: Fixture.time(seconds)),
            ],
            edges: [
                EdgeObservation(
                    id: Edge.ID("\(clientID)->\(serverID)"), sourceID: clientID, targetID: serverID,
                    type: .communicatesWith, seenAt: Fixture.time(seconds), bytes: bytes)
            ])
    }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any GraphStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        let client = Node.ID("ip:10.0.0.1")
        let server = Node.ID("ip:198.51.100.2")
        let edgeID = Edge.ID("ip:10.0.0.1->ip:198.51.100.2")
        switch self {
        case .deltasCreateNodesAndEdges:
            try await store.apply([Self.delta("a1", org: org, at: 10)])
            let node = try await store.node(client, in: org)
            try verify.expectEqual(node?.value, "10.0.0.1", "node value")
            try verify.expectEqual(node?.flags.internal, true, "initial flags")
            try verify.expectEqual(node?.firstSeen, Fixture.time(10), "first seen")
            try verify.expectEqual(node?.artifactCount, 1, "artifact count")
            let edge = try await store.edge(edgeID, in: org)
            try verify.expectEqual(edge?.sourceID, client, "edge source")
            try verify.expectEqual(edge?.targetID, server, "edge target")
            try verify.expectEqual(edge?.type, .communicatesWith, "edge type")
            try verify.expectEqual(edge?.bytes, 100, "edge bytes")
            let both = try await store.nodes([client, server, "ip:unknown"], in: org)
            try verify.expectEqual(Set(both.map(\.id)), [client, server], "batch lookup")

        case .applyingADeltaTwiceCountsOnce:
            let delta = Self.delta("a1", org: org, at: 10)
            try await store.apply([delta])
            try await store.apply([delta, delta])
            try verify.expectEqual(try await store.node(client, in: org)?.artifactCount, 1, "node count")
            try verify.expectEqual(try await store.edge(edgeID, in: org)?.artifactCount, 1, "edge count")
            try verify.expectEqual(try await store.edge(edgeID, in: org)?.bytes, 100, "edge bytes")
            // A redelivered batch that also carries new deltas applies only the new ones.
            try await store.apply([Self.delta("a0", org: org, at: 5), delta, Self.delta("a2", org: org, at: 20)])
            try verify.expectEqual(try await store.node(client, in: org)?.artifactCount, 3, "node count, mixed batch")
            try verify.expectEqual(try await store.edge(edgeID, in: org)?.artifactCount, 3, "edge count, mixed batch")
            try verify.expectEqual(try await store.edge(edgeID, in: org)?.bytes, 300, "edge bytes, mixed batch")

        case .observationsWidenAndCount:
            // Out of order, and across three days so per-day edge rows must be summed.
            try await store.apply([
                Self.delta("a2", org: org, at: 86_400 * 2, bytes: 5), Self.delta("a1", org: org, at: 50, bytes: 7),
                Self.delta("a3", org: org, at: 86_400 + 3, bytes: 11),
            ])
            let node = try await store.node(client, in: org)
            try verify.expectEqual(node?.firstSeen, Fixture.time(50), "first seen is the minimum")
            try verify.expectEqual(node?.lastSeen, Fixture.time(86_400 * 2), "last seen is the maximum")
            try verify.expectEqual(node?.artifactCount, 3, "node count")
            let edge = try await store.edge(edgeID, in: org)
            try verify.expectEqual(edge?.artifactCount, 3, "edge count over days")
            try verify.expectEqual(edge?.bytes, 23, "edge bytes over days")
            try verify.expectEqual(edge?.firstSeen, Fixture.time(50), "edge first seen")
            try verify.expectEqual(edge?.lastSeen, Fixture.time(86_400 * 2), "edge last seen")

        case .topTalkersRankBytesSentOnTheRangeDays:
            let other = Fixture.org()
            try await store.apply([
                Self.delta("a1", org: org, at: 10, bytes: 500),
                Self.delta("a2", org: org, at: 20, server: "192.0.2.1", bytes: 700),
                Self.delta("a3", org: org, at: 30, client: "10.0.0.2", bytes: 900),
                Self.delta("a4", org: org, at: 40, client: "10.0.0.3", bytes: 900),
                Self.delta("a5", org: org, at: 50, client: "10.0.0.3", server: "192.0.2.1", bytes: 0),
                // The day after the range: not counted.
                Self.delta("a6", org: org, at: 86_400 * 2 + 5, client: "10.0.0.2", bytes: 10_000),
                Self.delta("x1", org: other, at: 10, client: "10.0.0.9", bytes: 99_999),
            ])
            let range = TimeRange(start: Fixture.time(0), end: Fixture.time(3_600))
            let talkers = try await store.topTalkers(range, limit: 10, in: org)
            try verify.expectEqual(
                talkers,
                [
                    Talker(nodeID: "ip:10.0.0.1", bytes: 1_200, artifactCount: 2),
                    Talker(nodeID: "ip:10.0.0.3", bytes: 900, artifactCount: 2),
                    Talker(nodeID: "ip:10.0.0.2", bytes: 900, artifactCount: 1),
                ], "ranked by bytes, then events; other days and orgs left out")
            try verify.expectEqual(
                try await store.topTalkers(range, limit: 1, in: org).map(\.nodeID), ["ip:10.0.0.1"], "limit")
            let later = TimeRange(start: Fixture.time(86_400 * 2), end: Fixture.time(86_400 * 2 + 60))
            try verify.expectEqual(
                try await store.topTalkers(later, limit: 10, in: org).map(\.bytes), [10_000], "a later day alone")

        case .edgeCountCountsDistinctEdges:
            try await store.apply([
                Self.delta("a1", org: org, at: 1), Self.delta("a2", org: org, at: 2),
                Self.delta("a3", org: org, at: 86_400 + 3),
                Self.delta("a4", org: org, at: 4, server: "198.51.100.3"),
            ])
            try verify.expectEqual(try await store.node(client, in: org)?.edgeCount, 2, "client edges")
            try verify.expectEqual(try await store.node(server, in: org)?.edgeCount, 1, "server edges")

        case .searchNodesByTypePrefixAndFlags:
            try await store.apply([
                Self.delta("a1", org: org, at: 1), Self.delta("a2", org: org, at: 2, client: "10.0.0.20"),
                GraphDelta(
                    id: "a3", orgID: org,
                    nodes: [NodeObservation(id: "user:root", type: .user, value: "root", seenAt: Fixture.time(3))],
                    edges: []),
            ])
            let prefix = try await store.searchNodes(NodeQuery(type: .ip, valuePrefix: "10.0.0."), in: org)
            try verify.expectEqual(prefix.items.map(\.value), ["10.0.0.1", "10.0.0.20"], "prefix, ordered by value")
            let internalOnly = try await store.searchNodes(NodeQuery(requiredFlags: NodeFlags(internal: true)), in: org)
            try verify.expectEqual(internalOnly.total, 2, "flag filter")
            let users = try await store.searchNodes(NodeQuery(type: .user), in: org)
            try verify.expectEqual(users.items.map(\.value), ["root"], "type filter")
            let paged = try await store.searchNodes(NodeQuery(page: PageRequest(limit: 2, offset: 2)), in: org)
            try verify.expectEqual(paged.total, 4, "total")
            try verify.expectEqual(paged.items.map(\.value), ["198.51.100.2", "root"], "second page")
            try verify.expectEqual(paged.items.count, 2, "second page size")

        case .flagsCanBeSet:
            try await store.apply([Self.delta("a1", org: org, at: 1)])
            let flags = NodeFlags(managed: true, internal: true, trusted: true, infrastructure: false)
            let updated = try await store.setFlags(flags, of: client, in: org)
            try verify.expectEqual(updated?.flags, flags, "returned flags")
            try verify.expectEqual(try await store.node(client, in: org)?.flags, flags, "stored flags")
            try verify.expectEqual(try await store.setFlags(flags, of: "ip:nope", in: org), nil, "unknown node")
            try await store.apply([Self.delta("a2", org: org, at: 2)])
            try verify.expectEqual(try await store.node(client, in: org)?.flags, flags, "flags survive observations")

        case .searchEdgesByDirectionTypeAndTime:
            try await store.apply([
                Self.delta("a1", org: org, at: 10),
                Self.delta("a2", org: org, at: 20, client: "198.51.100.2", server: "10.0.0.1"),
                Self.delta("a3", org: org, at: 30, server: "192.0.2.1"),
            ])
            let outgoing = try await store.searchEdges(EdgeQuery(nodeID: client, direction: .outgoing), in: org)
            try verify.expectEqual(outgoing.items.map(\.targetID), ["ip:192.0.2.1", server], "outgoing, newest first")
            let incoming = try await store.searchEdges(EdgeQuery(nodeID: client, direction: .incoming), in: org)
            try verify.expectEqual(incoming.items.map(\.sourceID), [server], "incoming")
            let both = try await store.searchEdges(EdgeQuery(nodeID: client), in: org)
            try verify.expectEqual(both.total, 3, "both directions")
            let ranged = try await store.searchEdges(
                EdgeQuery(nodeID: client, timeRange: TimeRange(start: Fixture.time(15), end: Fixture.time(25))), in: org
            )
            try verify.expectEqual(ranged.items.map(\.sourceID), [server], "time range on last seen")
            let typed = try await store.searchEdges(EdgeQuery(nodeID: client, type: .resolvedTo), in: org)
            try verify.expectEqual(typed.total, 0, "type filter")

        case .edgesTouchingNodesTakeTheNewestPerNode:
            // Recency counts in UTC days: one day per step here.
            let day = 86_400.0
            try await store.apply([
                Self.delta("a1", org: org, at: 10 * day),
                Self.delta("a2", org: org, at: 20 * day, client: "198.51.100.2", server: "10.0.0.1"),
                Self.delta("a3", org: org, at: 30 * day, server: "192.0.2.1"),
                Self.delta("a4", org: org, at: 40 * day, client: "10.9.9.9", server: "192.0.2.7"),
                Self.delta("a5", org: org, at: 50 * day + 7_200, client: "10.0.0.1", server: "192.0.2.1"),
            ])
            let all = try await store.edges(touching: [client, "ip:10.9.9.9"], limitPerNode: 10, in: org)
            try verify.expectEqual(all.count, 4, "every edge of both nodes, each once")
            try verify.expectEqual(
                all.first { $0.targetID == "ip:192.0.2.1" }?.artifactCount, 2, "an edge's count over its days")
            let newest = try await store.edges(touching: [client], limitPerNode: 2, in: org)
            try verify.expectEqual(
                Set(newest.map(\.id.rawValue)), ["ip:10.0.0.1->ip:192.0.2.1", "ip:198.51.100.2->ip:10.0.0.1"],
                "the two most recently seen edges of the node")
            // A late observation of the oldest edge counts, but does not make it newer.
            try await store.apply([Self.delta("a6", org: org, at: 5 * day, bytes: 7)])
            let afterLate = try await store.edges(touching: [client], limitPerNode: 3, in: org)
            try verify.expectEqual(
                afterLate.first { $0.id == edgeID }.map { [$0.artifactCount, $0.bytes] }, [2, 107],
                "a late day is summed in")
            try verify.expectEqual(
                afterLate.first { $0.id == edgeID }?.firstSeen, Fixture.time(5 * day), "and widens first seen")
            try verify.expectEqual(
                Set(try await store.edges(touching: [client], limitPerNode: 2, in: org).map(\.id.rawValue)),
                ["ip:10.0.0.1->ip:192.0.2.1", "ip:198.51.100.2->ip:10.0.0.1"], "a late day leaves the order")
            // Within one day, ties go by id: an edge seen earlier that day still comes first.
            try await store.apply([Self.delta("a7", org: org, at: 50 * day + 60, server: "192.0.2.0")])
            try verify.expectEqual(
                try await store.edges(touching: [client], limitPerNode: 1, in: org).map(\.id.rawValue),
                ["ip:10.0.0.1->ip:192.0.2.0"], "same day: the lower id")
            try verify.expectEqual(
                try await store.edge(edgeID, in: org).map { [$0.artifactCount, $0.bytes] }, [2, 107],
                "one edge: its days summed")
            try verify.expectEqual(
                try await store.edges(touching: [client], limitPerNode: 5, in: Fixture.org()).count, 0, "other org")
            try verify.expectEqual(try await store.edges(touching: [], limitPerNode: 5, in: org).count, 0, "no nodes")

        case .orgsNeverSeeEachOther:
            let other = Fixture.org()
            try await store.apply([Self.delta("a1", org: other, at: 1)])
            try verify.expectEqual(try await store.node(client, in: org), nil, "node across orgs")
            try verify.expectEqual(try await store.edge(edgeID, in: org), nil, "edge across orgs")
            try verify.expectEqual(try await store.searchNodes(NodeQuery(), in: org).total, 0, "node search")
            try verify.expectEqual(try await store.searchEdges(EdgeQuery(nodeID: client), in: org).total, 0, "edges")
            try verify.expectEqual(
                try await store.setFlags(NodeFlags(trusted: true), of: client, in: org), nil, "flags")
            // The same delta id in another org is a different delta.
            try await store.apply([Self.delta("a1", org: org, at: 1)])
            try verify.expectEqual(try await store.node(client, in: org)?.artifactCount, 1, "same id, other org")
            try await store.apply([Self.delta("b1", org: org, at: 2), Self.delta("b1", org: other, at: 2)])
            try verify.expectEqual(try await store.node(client, in: org)?.artifactCount, 2, "same id, one batch")
            try verify.expectEqual(try await store.node(client, in: other)?.artifactCount, 2, "same id, one batch")
            try verify.expectEqual(try await store.node(client, in: other)?.flags.trusted, false, "other org untouched")

        case .purgeRemovesExactlyTheExpired:
            let day: Double = 86_400
            try await store.apply([
                Self.delta("old", org: org, at: -10 * day, client: "10.9.9.9"),
                Self.delta("a1", org: org, at: -10 * day), Self.delta("a2", org: org, at: 0),
            ])
            // Expired: node 10.9.9.9 and its edge day; the -10d edge day of the live edge.
            let cutoff = Fixture.time(-2 * day)
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: true), 3, "dry run count")
            let survivor = try await store.node("ip:10.9.9.9", in: org)
            try verify.expect(survivor != nil, "dry run removes nothing")
            try verify.expectEqual(try await store.purge(before: cutoff, dryRun: false), 3, "purged count")
            try verify.expectEqual(try await store.node("ip:10.9.9.9", in: org), nil, "expired node")
            try verify.expectEqual(
                try await store.edge(Edge.ID("ip:10.9.9.9->\(server)"), in: org), nil, "expired edge")
            let edge = try await store.edge(edgeID, in: org)
            try verify.expectEqual(edge?.artifactCount, 1, "edge keeps only retained days")
            try verify.expectEqual(try await store.node(server, in: org)?.edgeCount, 1, "edge count recomputed")

        case .concurrentDeltasLoseNothing:
            try await withThrowingTaskGroup(of: Void.self) { group in
                for writer in 0..<8 {
                    group.addTask {
                        // Each delta is applied by two writers; counts must still be exact.
                        let deltas = (0..<25).map {
                            Self.delta("d\((writer * 25 + $0) % 100)", org: org, at: Double($0))
                        }
                        try await store.apply(deltas)
                    }
                }
                try await group.waitForAll()
            }
            try verify.expectEqual(try await store.node(client, in: org)?.artifactCount, 100, "node count")
            try verify.expectEqual(try await store.edge(edgeID, in: org)?.artifactCount, 100, "edge count")
        }
    }
}
