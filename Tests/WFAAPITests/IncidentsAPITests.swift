import Foundation
import Synchronization
import Testing
import WFACore
import WFAMessaging
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

    func body(_ response: ParsedResponse?) throws -> [String: Any] {
        let json = try JSONSerialization.jsonObject(with: Data((response?.body ?? "").utf8)) as? [String: Any]
        return try #require(json)
    }

    @Test(
        "status changes follow the allowed transitions, are compare-and-set, and are audited with notes and assignments"
    )
    func workflow() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let analyst = try #require(try await api.storage.directory.user(email: "analyst@acme.example"))
            let incident = Self.incident("acme", severity: .high)
            try await api.storage.incidents.save([incident])
            let consumer = ConsumerConfiguration(name: "dispatcher")
            try await api.bus.declare(.incidents, consumer: consumer)
            let path = "/incidents/\(incident.id)"

            let investigating = try self.data(
                try await api.call(
                    "POST", "\(path)/status", token: token,
                    body: #"{"status":2,"expected_status":1,"note":"Looking at the firewall logs."}"#))
            #expect(investigating["status"] as? Int == 2)
            #expect((investigating["notes"] as? [[String: Any]])?.first?["author"] as? String == analyst.id.rawValue)

            let stale = try #require(
                try await api.call("POST", "\(path)/status", token: token, body: #"{"status":4,"expected_status":1}"#))
            #expect(stale.status == 409 && stale.body.contains("storage.conflict"), "\(stale.body)")
            #expect(
                try self.data(try await api.call("POST", "\(path)/status", token: token, body: #"{"status":4}"#))[
                    "status"] as? Int == 4)
            let relabel = try #require(
                try await api.call("POST", "\(path)/status", token: token, body: #"{"status":3}"#))
            #expect(
                relabel.status == 409 && relabel.body.contains("incident.transition_not_allowed"), "\(relabel.body)")
            #expect(
                try self.data(try await api.call("POST", "\(path)/status", token: token, body: #"{"status":2}"#))[
                    "status"] as? Int == 2)
            #expect(try await api.call("POST", "\(path)/status", token: token, body: #"{"status":7}"#)?.status == 400)
            #expect(
                try await api.call("POST", "\(path)/status", token: api.tokens["readonly"], body: #"{"status":3}"#)?
                    .status == 403)

            #expect(
                try await api.call("POST", "\(path)/assign", token: token, body: #"{"assignee":"nobody"}"#)?.status
                    == 404)
            let assigned = try self.data(
                try await api.call("POST", "\(path)/assign", token: token, body: #"{"assignee":"\#(analyst.id)"}"#))
            #expect(assigned["assignee"] as? String == analyst.id.rawValue)
            // An explicit null is refused rather than read as "absent".
            let null = try #require(
                try await api.call("POST", "\(path)/assign", token: token, body: #"{"assignee":null}"#))
            #expect(null.status == 400 && null.body.contains("assignee is null"), "\(null.body)")
            let cleared = try self.data(try await api.call("POST", "\(path)/assign", token: token, body: "{}"))
            #expect(cleared["assignee"] == nil)
            let noted = try #require(
                try await api.call("POST", "\(path)/notes", token: token, body: #"{"text":"Reset the root password."}"#)
            )
            #expect(noted.status == 201)

            let history = try #require(try self.body(noted)["data"] as? [String: Any])["history"] as? [[String: Any]]
            #expect(
                history?.compactMap { $0["action"] as? String } == [
                    "status_changed", "note_added", "status_changed", "status_changed", "assigned", "assigned",
                    "note_added",
                ])
            #expect(history?.allSatisfy { $0["actor"] as? String == analyst.id.rawValue } == true)
            #expect(history?.first?["from"] as? String == "1" && history?.first?["to"] as? String == "2")

            let timeline = try #require(
                try self.body(try await api.call("GET", "\(path)/timeline", token: token))["data"] as? [[String: Any]])
            #expect(timeline.first?["type"] as? String == "lead")
            #expect(timeline.count == 8)
            #expect(
                timeline.compactMap { $0["summary"] as? String }.contains {
                    $0.hasPrefix("Status changed from 4 (closed) to 2 (investigating)")
                })

            // Each change was announced for the dispatcher and the notifier.
            let announced = Mutex<[IncidentEvent]>([])
            let listening = Task {
                try await api.bus.consume(.incidents, as: consumer) { messages in
                    announced.withLock { $0 += messages.compactMap { try? $0.decode(IncidentEvent.self) } }
                }
            }
            let deadline = ContinuousClock.now + .seconds(10)
            while announced.withLock({ $0.count }) < 6, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            listening.cancel()
            let actions = announced.withLock { $0 }.flatMap(\.activities).map(\.action)
            #expect(
                actions == [
                    .statusChanged, .noteAdded, .statusChanged, .statusChanged, .assigned, .assigned, .noteAdded,
                ])
        }
    }

    @Test(
        "work units are created, updated with time spent, listed per incident and deleted; observations are searchable")
    func workUnitsAndObservations() async throws {
        try await APITestServer.run { api in
            let token = try #require(api.tokens["analyst"])
            let incident = Self.incident("acme", severity: .high)
            try await api.storage.incidents.save([incident])
            let created = try #require(
                try await api.call(
                    "POST", "/incidents/\(incident.id)/work-units", token: token,
                    body: #"{"title":"Block 203.0.113.9","priority":1}"#))
            #expect(created.status == 201, "\(created.body)")
            let unit = try #require(try self.body(created)["data"] as? [String: Any])
            let id = try #require(unit["id"] as? String)
            #expect(unit["status"] as? String == "open" && unit["priority"] as? Int == 1)
            _ = try await api.call("PATCH", "/work-units/\(id)", token: token, body: #"{"add_seconds":600}"#)
            let done = try self.data(
                try await api.call(
                    "PATCH", "/work-units/\(id)", token: token, body: #"{"status":"complete","add_seconds":300}"#))
            #expect(done["status"] as? String == "complete" && done["time_spent_seconds"] as? Int == 900)
            #expect(done["title"] as? String == "Block 203.0.113.9")
            #expect(
                try await api.call("PATCH", "/work-units/\(id)", token: token, body: #"{"priority":9}"#)?.status == 400)
            #expect(
                try await api.call("POST", "/incidents/nope/work-units", token: token, body: #"{"title":"x"}"#)?.status
                    == 404)
            let listed = try #require(
                try self.body(try await api.call("GET", "/incidents/\(incident.id)/work-units", token: token))["data"]
                    as? [[String: Any]])
            #expect(listed.compactMap { $0["id"] as? String } == [id])
            #expect(try await api.call("DELETE", "/work-units/\(id)", token: token)?.status == 200)
            #expect(try await api.call("GET", "/work-units/\(id)", token: token)?.status == 404)
            #expect(try await api.call("GET", "/work-units/\(id)", token: api.tokens["globex-admin"])?.status == 404)

            let observed = try #require(
                try await api.call(
                    "POST", "/observations", token: token,
                    body: #"{"text":"Reimaged by IT","incident_id":"\#(incident.id)","node_id":"host:web-01"}"#))
            #expect(observed.status == 201, "\(observed.body)")
            let found = try self.data(try await api.call("GET", "/observations?node_id=host:web-01", token: token))
            #expect(found["total"] as? Int == 1)
            let elsewhere = try self.data(
                try await api.call("GET", "/observations?node_id=host:web-01", token: api.tokens["globex-admin"]))
            #expect(elsewhere["total"] as? Int == 0)
            #expect(
                try await api.call("POST", "/observations", token: token, body: #"{"text":"x","incident_id":"nope"}"#)?
                    .status == 404)
        }
    }
}
