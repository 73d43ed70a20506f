import Foundation
import Testing
import WFACore

@testable import WFADispatcher

/// The dispatcher reads incident events off the bus without decoding whole incidents.
struct LiveIncidentEventTests {
    static func events() -> [IncidentEvent] {
        let start = Date(timeIntervalSince1970: 1_795_000_000.123456)
        let leads = (0..<40).map { index in
            Lead(
                artifactID: .random(), ruleID: "rule-\(index)", ruleName: "SSH \"brute\" force \\ \(index)",
                ruleKind: index.isMultiple(of: 2) ? .lead : .sigma, nodeIDs: [Node.ID(rawValue: "n\(index)")],
                severity: .medium, observedAt: start.addingTimeInterval(Double(index)))
        }
        let busy = Incident(
            orgID: "acme", title: "Brute force from 203.0.113.9 — \"quoted\"\n\u{1}", severity: .critical,
            suspicionScore: 0.8125, scoreReasons: [.init(reason: "many leads", weight: 0.5)], status: .investigating,
            assignee: User.ID(rawValue: "analyst-1"), notes: [IncidentNote(author: "analyst-1", text: "looking")],
            leads: leads, nodeIDs: [Node.ID(rawValue: "n1")], firstObservedAt: start,
            lastObservedAt: start.addingTimeInterval(39), createdAt: start, updatedAt: start.addingTimeInterval(40),
            mitreTechniques: ["T1110"], lifecycleStage: nil,
            history: [IncidentActivity(.created, by: IncidentActivity.engine, at: start)])
        var merged = Incident(
            orgID: "globex", title: "quiet", severity: .low, firstObservedAt: start, lastObservedAt: start,
            createdAt: start)
        merged.mergedInto = busy.id
        return [
            IncidentEvent(
                kind: .updated, incident: busy,
                activities: [
                    IncidentActivity(.statusChanged, by: "analyst-1", at: start, from: "1", to: "2"),
                    IncidentActivity(.noteAdded, by: "analyst-1", at: start.addingTimeInterval(1), to: "note"),
                ]),
            IncidentEvent(kind: .merged, incident: merged),
        ]
    }

    static func text(_ event: LiveIncidentEvent) throws -> String {
        String(
            decoding: try WireFormat.makeEncoder().encode(LiveMessage(type: "incident", event: event)), as: UTF8.self)
    }

    @Test("an incident event read off the bus gives the same live message as the decoded incident, leads counted")
    func readsTheHeadline() throws {
        for event in Self.events() {
            let document = try #require(WireFormat.encode(event))
            let read = try #require(LiveIncidentEvent(document: document))
            let decoded = LiveIncidentEvent(
                try WireFormat.makeDecoder().decode(IncidentEvent.self, from: Data(document)))
            #expect(try Self.text(read) == Self.text(decoded))
            #expect(read.incident.orgID == event.incident.orgID)
            #expect(read.incident.leadCount == event.incident.leads.count)
        }
    }

    @Test(
        "a document of another shape is left to the full decoder",
        arguments: [
            #"{"kind":"updated"}"#,
            #"{"kind":"renamed","incident":{},"activities":[]}"#,
            #"{"kind":"updated","incident":{"id":"x","org_id":"acme","status":"new"},"activities":[]}"#,
            #"not json"#,
        ])
    func refusesOtherShapes(_ text: String) {
        #expect(LiveIncidentEvent(document: Array(text.utf8)) == nil)
    }
}
