import Foundation
import Testing
import WFACore
import WFAStorage
import WFATestSupport

/// Reading incidents: filters, merged incidents left out by default, org isolation, 404.
struct IncidentsAPITests {
    func data(_ response: ParsedResponse?) throws -> [String: Any] {
        #expect(response?.status == 200, "\(response?.body ?? "")")
        let json = try JSONSerialization.jsonObject(with: Data((response?.body ?? "").utf8)) as? [String: Any]
        return try #require(json?["data"] as? [String: Any])
    }

    static func incident(_ org: Org.ID, severity: IncidentSeverity, status: IncidentStatus = .new) -> Incident {
        var incident = Incident(
            orgID: org, title: "Authentication Failure from 203.0.113.9", severity: severity,
            suspicionScore: 0.45, scoreReasons: [ScoreReason(reason: "Highest rule severity is medium", weight: 0.3)],
            leads: [
                Lead(
                    artifactID: .random(), ruleID: "catalog-233", ruleName: "Authentication Failure", ruleKind: .lead,
                    nodeIDs: ["ip:203.0.113.9", "user:root"], setID: "1", role: "Exploiting Host", severity: .medium,
                    observedAt: Date(), count: 12)
            ], nodeIDs: ["ip:203.0.113.9", "user:root"], firstObservedAt: Date(), lastObservedAt: Date(),
            mitreTechniques: ["T1110"], lifecycleStage: .initialAccess)
        incident.status = status
        return incident
    }

    @Test(
        "incidents list by status and severity, newest first; merged ones only on request; get shows leads and reasons")
    func listAndGet() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let high = Self.incident("acme", severity: .high)
            let low = Self.incident("acme", severity: .low, status: .closed)
            var merged = Self.incident("acme", severity: .medium)
            merged.mergedInto = high.id
            let foreign = Self.incident("other", severity: .critical)
            try await api.storage.incidents.save([low, high, merged, foreign])

            let all = try self.data(try await api.call("GET", "/incidents", token: token))
            let items = try #require(all["items"] as? [[String: Any]])
            #expect(Set(items.compactMap { $0["id"] as? String }) == [high.id.rawValue, low.id.rawValue])

            let open = try self.data(
                try await api.call("GET", "/incidents?status=1,2&min_severity=medium", token: token))
            let openItems = try #require(open["items"] as? [[String: Any]])
            #expect(openItems.compactMap { $0["id"] as? String } == [high.id.rawValue])

            let withMerged = try self.data(try await api.call("GET", "/incidents?include_merged=true", token: token))
            #expect(withMerged["total"] as? Int == 3)

            let data = try self.data(try await api.call("GET", "/incidents/\(high.id)", token: token))
            let lead = try #require((data["leads"] as? [[String: Any]])?.first)
            #expect(lead["count"] as? Int == 12 && lead["role"] as? String == "Exploiting Host")
            #expect(
                (data["score_reasons"] as? [[String: Any]])?.first?["reason"] as? String
                    == "Highest rule severity is medium")
            #expect(data["lifecycle_stage"] as? String == "initial_access")

            #expect(try await api.call("GET", "/incidents/\(foreign.id)", token: token)?.status == 404)
            #expect(try await api.call("GET", "/incidents?status=9", token: token)?.status == 400)
        }
    }
}
