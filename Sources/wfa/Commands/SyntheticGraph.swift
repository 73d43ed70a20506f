import Foundation
import WFACore

/// A reproducible graph shaped like network traffic: address nodes, and `communicates_with` edges
/// from a skewed source (a quarter of the edges start at 0.1 % of the nodes, like DNS servers and
/// gateways) to a uniformly random target, each seen on one to three of the last `days` days.
struct SyntheticGraph {
    let org: Org.ID
    let nodeCount: Int
    let edgeCount: Int
    let days: Int
    let now: Date

    private var generator = SplitMix64(seed: 42)
    private var pairs: Set<UInt64> = []
    private(set) var edgesMade = 0
    // Per node totals over its edges, so nodes can be written once every edge is known.
    private var firstSeen: [Int64]
    private var lastSeen: [Int64]
    private var artifacts: [Int64]
    private var degree: [Int64]

    init(org: Org.ID, nodes: Int, edges: Int, days: Int, now: Date) {
        self.org = org
        self.nodeCount = nodes
        self.edgeCount = edges
        self.days = max(1, days)
        self.now = now
        self.firstSeen = Array(repeating: .max, count: nodes)
        self.lastSeen = Array(repeating: .min, count: nodes)
        self.artifacts = Array(repeating: 0, count: nodes)
        self.degree = Array(repeating: 0, count: nodes)
        self.pairs.reserveCapacity(edges)
    }

    /// A node number with the skew: a quarter of the draws land on the first 0.1 % of the nodes.
    mutating func skewedNode() -> Int {
        let hubs = max(1, self.nodeCount / 1_000)
        return self.generator.next() % 4 == 0
            ? Int(self.generator.next() % UInt64(hubs)) : self.uniformNode()
    }

    mutating func uniformNode() -> Int { Int(self.generator.next() % UInt64(self.nodeCount)) }

    /// The next `count` distinct edges (fewer at the end), as one element per edge and day.
    mutating func nextEdgeDays(_ count: Int) -> [Edge] {
        var made: [Edge] = []
        made.reserveCapacity(count * 2)
        let today = Int64(self.now.timeIntervalSince1970) / 86_400 * 86_400
        var left = min(count, self.edgeCount - self.edgesMade)
        while left > 0 {
            let source = self.skewedNode()
            var target = self.uniformNode()
            if target == source { target = (target + 1) % self.nodeCount }
            guard self.pairs.insert(UInt64(source) << 32 | UInt64(target)).inserted else { continue }
            let sourceID = Self.node(source)
            let targetID = Self.node(target)
            let id = Edge.ID(from: sourceID, .communicatesWith, to: targetID)
            // Days back from yesterday, so no observation lies in the future.
            let newest = 1 + Int(self.generator.next() % UInt64(self.days))
            let span = 1 + Int(self.generator.next() % 3)
            for back in newest..<min(newest + span, self.days + 1) {
                let start = today - Int64(back) * 86_400 + Int64(self.generator.next() % 43_200)
                let end = start + Int64(self.generator.next() % 43_200)
                let count = Int64(1 + self.generator.next() % 20)
                made.append(
                    Edge(
                        id: id, orgID: self.org, sourceID: sourceID, targetID: targetID, type: .communicatesWith,
                        firstSeen: Date(timeIntervalSince1970: TimeInterval(start)),
                        lastSeen: Date(timeIntervalSince1970: TimeInterval(end)), artifactCount: count,
                        bytes: count * Int64(self.generator.next() % 10_000)))
                for node in [source, target] {
                    self.firstSeen[node] = min(self.firstSeen[node], start)
                    self.lastSeen[node] = max(self.lastSeen[node], end)
                    self.artifacts[node] += count
                }
            }
            self.degree[source] += 1
            self.degree[target] += 1
            self.edgesMade += 1
            left -= 1
        }
        return made
    }

    /// Nodes `range` with their totals over the edges made so far; nodes without edges were seen now.
    func nodes(_ range: Range<Int>) -> [Node] {
        range.map { number in
            let seenNow = Int64(self.now.timeIntervalSince1970)
            let first = self.firstSeen[number] == .max ? seenNow : self.firstSeen[number]
            let last = self.lastSeen[number] == .min ? seenNow : self.lastSeen[number]
            return Node(
                id: Self.node(number), orgID: self.org, type: .ip, value: Self.address(number),
                flags: NodeFlags(internal: true), firstSeen: Date(timeIntervalSince1970: TimeInterval(first)),
                lastSeen: Date(timeIntervalSince1970: TimeInterval(last)), artifactCount: self.artifacts[number],
                edgeCount: self.degree[number])
        }
    }

    static func address(_ number: Int) -> String {
        "10.\((number >> 16) & 0xff).\((number >> 8) & 0xff).\(number & 0xff)"
    }

    static func node(_ number: Int) -> Node.ID {
        Node.ID(entity: EntityKey(type: .ip, value: self.address(number)))
    }
}
