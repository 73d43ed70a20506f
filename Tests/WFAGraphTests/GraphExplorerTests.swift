import Foundation
import Testing
import WFACore
import WFAGraph
import WFAStorage

@Suite("Graph explorer: neighbourhoods")
struct GraphExplorerTests {
    let org = Org.ID("acme")
    static let midnight = Date(timeIntervalSince1970: 1_767_225_600)

    /// Stores one `communicates_with` edge per pair, each seen at its own day offset.
    func store(_ pairs: [(from: String, to: String, day: Int)]) async throws -> InMemoryGraphStore {
        let store = InMemoryGraphStore()
        var deltas: [GraphDelta] = []
        for (index, pair) in pairs.enumerated() {
            let seen = Self.midnight.addingTimeInterval(Double(pair.day) * 86_400)
            let source = Node.ID("ip:\(pair.from)")
            let target = Node.ID("ip:\(pair.to)")
            deltas.append(
                GraphDelta(
                    id: "d\(index)", orgID: self.org,
                    nodes: [
                        NodeObservation(id: source, type: .ip, value: pair.from, seenAt: seen),
                        NodeObservation(id: target, type: .ip, value: pair.to, seenAt: seen),
                    ],
                    edges: [
                        EdgeObservation(
                            id: Edge.ID(from: source, .communicatesWith, to: target), sourceID: source,
                            targetID: target, type: .communicatesWith, seenAt: seen)
                    ]))
        }
        try await store.apply(deltas)
        return store
    }

    func values(_ subgraph: GraphExplorer.Subgraph?) -> [String] {
        (subgraph?.nodes ?? []).map(\.value)
    }

    @Test("within its limit a neighbourhood is every node within depth hops, in either direction")
    func complete() async throws {
        let store = try await self.store([
            ("s", "a", 1), ("b", "s", 1), ("a", "a1", 1), ("b", "b1", 1), ("a1", "far", 1),
        ])
        let explorer = GraphExplorer(store: store)
        let near = try await explorer.neighborhood(of: "ip:s", depth: 2, limit: 100, in: self.org)
        #expect(Set(self.values(near)) == ["s", "a", "b", "a1", "b1"])
        #expect(near?.edges.count == 4)
        #expect(near?.truncated == false)
        #expect(try await explorer.neighborhood(of: "ip:nobody", depth: 2, limit: 100, in: self.org) == nil)
    }

    @Test("when the limit cuts a hop, every node of the hop contributes its newest neighbours in turn")
    func fairCut() async throws {
        // s knows a and b; a has five newer neighbours than any of b's, b has five.
        let store = try await self.store(
            [("s", "a", 1), ("s", "b", 1)] + (1...5).map { ("a", "a\($0)", 20 - $0) }
                + (1...5).map { ("b", "b\($0)", 10 - $0) })
        let cut = try await GraphExplorer(store: store).neighborhood(of: "ip:s", depth: 2, limit: 7, in: self.org)
        #expect(self.values(cut) == ["s", "a", "b", "a1", "b1", "a2", "b2"])
        #expect(cut?.truncated == true)
        #expect(cut?.edges.allSatisfy { $0.sourceID != "ip:a" || ["ip:a1", "ip:a2"].contains($0.targetID) } == true)
    }

    @Test("a node with more edges than the walk reads per node marks the neighbourhood truncated")
    func perNodeCap() async throws {
        let store = try await self.store((1...5).map { ("hub", "n\($0)", $0) })
        let explorer = GraphExplorer(store: store, edgesPerNode: 3)
        let capped = try await explorer.neighborhood(of: "ip:hub", depth: 1, limit: 100, in: self.org)
        #expect(self.values(capped) == ["hub", "n5", "n4", "n3"])
        #expect(capped?.truncated == true)
        let whole = try await GraphExplorer(store: store).neighborhood(of: "ip:hub", depth: 1, limit: 100, in: self.org)
        #expect(whole?.nodes.count == 6)
        #expect(whole?.truncated == false)
    }

    @Test("other orgs' graphs are not walked")
    func orgIsolation() async throws {
        let store = try await self.store([("s", "a", 1)])
        let explorer = GraphExplorer(store: store)
        #expect(try await explorer.neighborhood(of: "ip:s", depth: 1, limit: 10, in: "globex") == nil)
    }
}
