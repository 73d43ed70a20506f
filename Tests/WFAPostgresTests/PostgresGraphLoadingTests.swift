import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresGraphLoadingTests {
    @Test("a graph copied in with bulkLoad reads exactly like the same graph applied as deltas")
    func bulkLoadMatchesApply() async throws {
        let now = Date()
        try await TestDatabase.withFreshDatabase(now: { now }) { database, _ in
            let graph = database.storage.graph
            let applied = Org.ID.random()
            let loaded = Org.ID.random()
            // One edge observation per delta, so each is exactly one day row of its edge.
            let observations: [(source: String, target: String, daysAgo: Double, bytes: Int64)] = [
                ("10.0.0.1", "10.0.0.2", 3, 100), ("10.0.0.1", "10.0.0.2", 1, 50), ("10.0.0.3", "10.0.0.1", 2, 7),
                ("10.0.0.2", "10.0.0.3", 1, 9),
            ]
            var dayRows: [Edge] = []
            for (index, observation) in observations.enumerated() {
                let time = now.addingTimeInterval(-observation.daysAgo * 86_400)
                let source = Node.ID("ip:\(observation.source)")
                let target = Node.ID("ip:\(observation.target)")
                let id = Edge.ID(from: source, .communicatesWith, to: target)
                try await graph.apply([
                    GraphDelta(
                        id: "d\(index)", orgID: applied,
                        nodes: [
                            NodeObservation(id: source, type: .ip, value: observation.source, seenAt: time),
                            NodeObservation(id: target, type: .ip, value: observation.target, seenAt: time),
                        ],
                        edges: [
                            EdgeObservation(
                                id: id, sourceID: source, targetID: target, type: .communicatesWith, seenAt: time,
                                bytes: observation.bytes)
                        ])
                ])
                dayRows.append(
                    Edge(
                        id: id, orgID: loaded, sourceID: source, targetID: target, type: .communicatesWith,
                        firstSeen: time, lastSeen: time, artifactCount: 1, bytes: observation.bytes))
            }
            let ids: [Node.ID] = ["ip:10.0.0.1", "ip:10.0.0.2", "ip:10.0.0.3"]
            var nodes = try await graph.nodes(ids, in: applied)
            for index in nodes.indices { nodes[index].orgID = loaded }
            try await database.bulkLoad(edgeDays: dayRows)
            try await database.bulkLoad(nodes: nodes)
            try await database.analyzeGraph()

            func reading(_ org: Org.ID) async throws -> [Edge] {
                try await graph.edges(touching: ids, limitPerNode: 10, in: org).map { edge in
                    var edge = edge
                    edge.orgID = "any"
                    return edge
                }
            }
            let fromDeltas = try await reading(applied)
            #expect(fromDeltas.count == 3)
            #expect(try await reading(loaded) == fromDeltas)
            #expect(
                try await graph.nodes(ids, in: loaded).sorted { $0.id < $1.id }.map(\.edgeCount)
                    == nodes.sorted { $0.id < $1.id }.map(\.edgeCount))
            let newest = try await graph.edges(touching: ["ip:10.0.0.1"], limitPerNode: 1, in: loaded)
            #expect(newest.map(\.targetID) == ["ip:10.0.0.2"])
        }
    }
}
