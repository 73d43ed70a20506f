public import Foundation
public import WFACore

/// A ``GraphStore`` in memory, keeping edge observations per UTC day like the persistent adapters.
public actor InMemoryGraphStore: GraphStore {
    private struct EdgeDay {
        var edge: Edge
        var day: Int64
    }

    private struct OrgKey<ID: Hashable>: Hashable {
        var org: Org.ID
        var id: ID
    }

    private var nodes: [OrgKey<Node.ID>: Node] = [:]
    private var edgeDays: [OrgKey<Edge.ID>: [Int64: Edge]] = [:]
    private var applied: Set<OrgKey<String>> = []

    public init() {}

    /// Takes the caller at its word under ``DeltaDeduplication/caller``, as a persistent store
    /// does, so that a caller that repeats a delta shows in the counts.
    public func apply(_ deltas: [GraphDelta], deduplication: DeltaDeduplication) async throws {
        for delta in deltas
        where deduplication == .caller || self.applied.insert(OrgKey(org: delta.orgID, id: delta.id)).inserted {
            for observation in delta.nodes { self.observe(observation, in: delta.orgID) }
            for observation in delta.edges { self.observe(observation, in: delta.orgID) }
        }
    }

    private func observe(_ observation: NodeObservation, in org: Org.ID) {
        let key = OrgKey(org: org, id: observation.id)
        if var node = self.nodes[key] {
            node.firstSeen = min(node.firstSeen, observation.seenAt)
            node.lastSeen = max(node.lastSeen, observation.seenAt)
            node.artifactCount += observation.artifactCount
            self.nodes[key] = node
        } else {
            self.nodes[key] = Node(
                id: observation.id, orgID: org, type: observation.type, value: observation.value,
                flags: observation.initialFlags, firstSeen: observation.seenAt, lastSeen: observation.seenAt,
                artifactCount: observation.artifactCount)
        }
    }

    private func observe(_ observation: EdgeObservation, in org: Org.ID) {
        let key = OrgKey(org: org, id: observation.id)
        let day = EpochMicroseconds.utcDayIndex(of: observation.seenAt)
        var days = self.edgeDays[key] ?? [:]
        if days.isEmpty {
            for endpoint in Set([observation.sourceID, observation.targetID]) {
                self.nodes[OrgKey(org: org, id: endpoint)]?.edgeCount += 1
            }
        }
        if var edge = days[day] {
            edge.firstSeen = min(edge.firstSeen, observation.seenAt)
            edge.lastSeen = max(edge.lastSeen, observation.seenAt)
            edge.artifactCount += observation.artifactCount
            edge.bytes += observation.bytes
            days[day] = edge
        } else {
            days[day] = Edge(
                id: observation.id, orgID: org, sourceID: observation.sourceID, targetID: observation.targetID,
                type: observation.type, firstSeen: observation.seenAt, lastSeen: observation.seenAt,
                artifactCount: observation.artifactCount, bytes: observation.bytes)
        }
        self.edgeDays[key] = days
    }

    public func node(_ id: Node.ID, in org: Org.ID) async throws -> Node? {
        self.nodes[OrgKey(org: org, id: id)]
    }

    public func nodes(_ ids: [Node.ID], in org: Org.ID) async throws -> [Node] {
        Set(ids).compactMap { self.nodes[OrgKey(org: org, id: $0)] }
    }

    public func searchNodes(_ query: NodeQuery, in org: Org.ID) async throws -> Page<Node> {
        let page = try query.page.validated()
        let matches = self.nodes.values.filter { $0.orgID == org && query.matches($0) }
            .sorted { ($0.type.rawValue, $0.value) < ($1.type.rawValue, $1.value) }
        return Page(slicing: matches, page)
    }

    public func setFlags(_ flags: NodeFlags, of id: Node.ID, in org: Org.ID) async throws -> Node? {
        let key = OrgKey(org: org, id: id)
        self.nodes[key]?.flags = flags
        return self.nodes[key]
    }

    public func edge(_ id: Edge.ID, in org: Org.ID) async throws -> Edge? {
        self.aggregate(self.edgeDays[OrgKey(org: org, id: id)] ?? [:])
    }

    private func aggregate(_ days: [Int64: Edge]) -> Edge? {
        days.values.reduce(nil as Edge?) { total, day in
            guard var total else { return day }
            total.firstSeen = min(total.firstSeen, day.firstSeen)
            total.lastSeen = max(total.lastSeen, day.lastSeen)
            total.artifactCount += day.artifactCount
            total.bytes += day.bytes
            return total
        }
    }

    public func searchEdges(_ query: EdgeQuery, in org: Org.ID) async throws -> Page<Edge> {
        let page = try query.page.validated()
        let matches = self.edgeDays.filter { $0.key.org == org }.values.compactMap(self.aggregate)
            .filter(query.matches)
            .sorted { $0.lastSeen != $1.lastSeen ? $0.lastSeen > $1.lastSeen : $0.id < $1.id }
        return Page(slicing: matches, page)
    }

    public func edges(touching nodes: [Node.ID], limitPerNode: Int, in org: Org.ID) async throws -> [Edge] {
        let wanted = Set(nodes)
        let touching = self.edgeDays.filter { $0.key.org == org }.values.compactMap(self.aggregate)
            .filter { wanted.contains($0.sourceID) || wanted.contains($0.targetID) }
        let all = touching.sorted(by: Edge.newerDayFirst)
        var taken: [Node.ID: Int] = [:]
        var picked: [Edge.ID: Edge] = [:]
        for edge in all {
            for end in Set([edge.sourceID, edge.targetID]) where wanted.contains(end) {
                guard taken[end, default: 0] < limitPerNode else { continue }
                taken[end, default: 0] += 1
                picked[edge.id] = edge
            }
        }
        return picked.values.sorted { $0.id < $1.id }
    }

    public func topTalkers(_ range: TimeRange, limit: Int, in org: Org.ID) async throws -> [Talker] {
        let range = try range.validated()
        let firstDay = EpochMicroseconds.utcDayIndex(of: range.start)
        let lastDay = EpochMicroseconds.utcDayIndex(of: range.end)
        var talkers: [Node.ID: Talker] = [:]
        for (key, days) in self.edgeDays where key.org == org {
            for (day, edge) in days where edge.type == .communicatesWith && (firstDay...lastDay).contains(day) {
                talkers[edge.sourceID, default: Talker(nodeID: edge.sourceID, bytes: 0, artifactCount: 0)].bytes +=
                    edge.bytes
                talkers[edge.sourceID]?.artifactCount += edge.artifactCount
            }
        }
        return talkers.values.sorted {
            ($0.bytes, $0.artifactCount, $1.nodeID.rawValue) > ($1.bytes, $1.artifactCount, $0.nodeID.rawValue)
        }.prefix(max(limit, 0)).map { $0 }
    }

    public func purge(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let expiredNodes = self.nodes.filter { $0.value.lastSeen < cutoff }.map(\.key)
        var expiredDays = 0
        var remainingDays = self.edgeDays
        for (key, days) in self.edgeDays {
            let kept = days.filter { $0.value.lastSeen >= cutoff }
            expiredDays += days.count - kept.count
            remainingDays[key] = kept.isEmpty ? nil : kept
        }
        guard !dryRun else { return expiredNodes.count + expiredDays }
        for key in expiredNodes { self.nodes[key] = nil }
        self.edgeDays = remainingDays
        // Edge counts cover the edges still retained.
        var counts: [OrgKey<Node.ID>: Int64] = [:]
        for (key, days) in self.edgeDays {
            guard let edge = days.values.first else { continue }
            for endpoint in Set([edge.sourceID, edge.targetID]) {
                counts[OrgKey(org: key.org, id: endpoint), default: 0] += 1
            }
        }
        for key in self.nodes.keys { self.nodes[key]?.edgeCount = counts[key] ?? 0 }
        return expiredNodes.count + expiredDays
    }
}
