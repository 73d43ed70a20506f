import Foundation
import WFACore
import WFAStorage

/// Graph deltas for tests.
enum TestGraph {
    /// One artifact's delta: `source` talked to `target` (both addresses) at `time`.
    static func communication(_ id: String, org: Org.ID, from source: String, to target: String, at time: Date)
        -> GraphDelta
    {
        let sourceID = Node.ID("ip:\(source)")
        let targetID = Node.ID("ip:\(target)")
        return GraphDelta(
            id: id, orgID: org,
            nodes: [
                NodeObservation(id: sourceID, type: .ip, value: source, seenAt: time),
                NodeObservation(id: targetID, type: .ip, value: target, seenAt: time),
            ],
            edges: [
                EdgeObservation(
                    id: Edge.ID(from: sourceID, .communicatesWith, to: targetID), sourceID: sourceID,
                    targetID: targetID, type: .communicatesWith, seenAt: time, bytes: 10)
            ])
    }
}
