import Foundation
import Testing
import WFACore
import WFAStorage
import WFATestSupport

/// `GET /dashboard`: the numbers behind the UI's dashboard, from what the stores hold.
struct DashboardAPITests {
    /// Stores, relative to now: 3 events 10 minutes ago (one unreadable), 1 event 3 hours ago, one
    /// event 2 days ago (outside a 24 h window), traffic from two clients, and three incidents.
    static func seed(_ storage: Storage, now: Date) async throws {
        func event(_ ago: TimeInterval, _ type: MessageType = "auth_failure", org: Org.ID = "acme") -> Artifact {
            Artifact(orgID: org, timestamp: now.addingTimeInterval(-ago), source: "test", messageType: type, raw: [])
        }
        try await storage.artifacts.append([
            event(600), event(610), event(620, .unknown), event(3 * 3_600), event(2 * 86_400), event(60, org: "globex"),
        ])
        func flow(_ id: String, from client: String, bytes: Int64) -> GraphDelta {
            let source = Node.ID(entity: EntityKey(type: .ip, value: client))
            let target = Node.ID(entity: EntityKey(type: .ip, value: "198.51.100.1"))
            return GraphDelta(
                id: id, orgID: "acme",
                nodes: [
                    NodeObservation(id: source, type: .ip, value: client, seenAt: now),
                    NodeObservation(id: target, type: .ip, value: "198.51.100.1", seenAt: now),
                ],
                edges: [
                    EdgeObservation(
                        id: Edge.ID(from: source, .communicatesWith, to: target), sourceID: source, targetID: target,
                        type: .communicatesWith, seenAt: now, bytes: bytes)
                ])
        }
        try await storage.graph.apply([
            flow("f1", from: "10.0.0.5", bytes: 4_000), flow("f2", from: "10.0.0.6", bytes: 9_000),
        ])
        func incident(_ severity: IncidentSeverity, _ status: IncidentStatus, createdAgo: TimeInterval) -> Incident {
            Incident(
                orgID: "acme", title: "incident", severity: severity, status: status, firstObservedAt: now,
                lastObservedAt: now, createdAt: now.addingTimeInterval(-createdAgo))
        }
        try await storage.incidents.save([
            incident(.high, .new, createdAgo: 900), incident(.critical, .resolved, createdAgo: 900),
            incident(.low, .investigating, createdAgo: 3 * 86_400),
        ])
    }

    @Test("counts events, unknown formats, incidents and talkers of the caller's org in the window")
    func dashboard() async throws {
        try await APITestServer.run { api in
            try await Self.seed(api.storage, now: Date())
            let response = try #require(
                try await api.call("GET", "/dashboard?hours=24&talkers=5", token: api.tokens["readonly"]))
            #expect(response.status == 200, "\(response.body)")
            let json = try #require(try JSONSerialization.jsonObject(with: Data(response.body.utf8)) as? [String: Any])
            let data = try #require(json["data"] as? [String: Any])
            let buckets = try #require(data["buckets"] as? [[String: Any]])
            #expect(buckets.count == 48)
            #expect(data["bucket_seconds"] as? Int == 1_800)
            #expect(buckets.compactMap { $0["events"] as? Int }.reduce(0, +) == 4, "the 2-day-old event is outside")
            #expect(buckets.compactMap { $0["unknown"] as? Int }.reduce(0, +) == 1)
            #expect(data["events_per_second"] as? Double == 0, "nothing in the last five minutes")
            #expect(data["open_incidents"] as? Int == 2, "New and Investigating, whenever created")
            let severities = buckets.compactMap { $0["incidents_by_severity"] as? [String: Int] }
            #expect(severities.compactMap { $0["high"] }.reduce(0, +) == 1)
            #expect(severities.compactMap { $0["critical"] }.reduce(0, +) == 1)
            #expect(severities.compactMap { $0["low"] }.reduce(0, +) == 0, "created before the window")
            let statuses = buckets.compactMap { $0["incidents_by_status"] as? [String: Int] }
            #expect(statuses.compactMap { $0["resolved"] }.reduce(0, +) == 1)
            let talkers = try #require(data["top_talkers"] as? [[String: Any]])
            #expect(talkers.compactMap { $0["node_id"] as? String } == ["ip:10.0.0.6", "ip:10.0.0.5"])
            #expect(talkers.first?["bytes"] as? Int == 9_000)
        }
    }

    @Test("the window and the talker count are bounded", arguments: ["hours=0", "hours=721", "talkers=101"])
    func bounds(query: String) async throws {
        try await APITestServer.run { api in
            let response = try await api.call("GET", "/dashboard?\(query)", token: api.tokens["analyst"])
            #expect(response?.status == 400, "\(response?.body ?? "")")
        }
    }
}
