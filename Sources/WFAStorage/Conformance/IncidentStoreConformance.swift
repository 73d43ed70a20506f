import Foundation
import WFACore

/// The promises of ``IncidentStore``.
public enum IncidentStoreConformance: String, CaseIterable, Sendable, CustomStringConvertible {
    case incidentsReadBackUnchanged
    case saveReplacesByID
    case searchFiltersOrdersAndPages
    case transitionIsCompareAndSet
    case concurrentTransitionsHaveOneWinner
    case assignAndNotes
    case workflowChangesAreAudited
    case engineSavesKeepTheWorkflow
    case workUnitsCanBeManaged
    case observationsCanBeSearched
    case orgsNeverSeeEachOther
    case purgeRemovesExactlyTheExpired

    public var description: String { "IncidentStore.\(self.rawValue)" }

    /// - Throws: ``ConformanceFailure`` when the store breaks the promise.
    public func check(_ makeStore: () async throws -> any IncidentStore) async throws {
        let store = try await makeStore()
        let verify = Verifier(property: self.description)
        let org = Fixture.org()
        switch self {
        case .incidentsReadBackUnchanged:
            var incident = Fixture.incident(org: org, at: 10)
            // A NUL is valid in a JSON string but not in database text; it must neither fail nor vanish.
            incident.notes = [IncidentNote(author: "u1", text: "looks bad\u{0}", createdAt: Fixture.time(11))]
            incident.assignee = "u1"
            try await store.save([incident])
            try verify.expectEqual(try await store.incident(incident.id, in: org), incident, "read back")
            try verify.expectEqual(
                try await store.search(IncidentQuery(includeMerged: false), in: org).items, [incident], "listed")
            try verify.expectEqual(try await store.incident(.random(), in: org), nil, "unknown id")

        case .saveReplacesByID:
            var incident = Fixture.incident(org: org, at: 10)
            try await store.save([incident])
            incident.title = "renamed"
            incident.leads.append(incident.leads[0])
            try await store.save([incident])
            try verify.expectEqual(try await store.incident(incident.id, in: org), incident, "replaced")
            try verify.expectEqual(try await store.search(IncidentQuery(), in: org).total, 1, "one incident")

        case .searchFiltersOrdersAndPages:
            var low = Fixture.incident(org: org, at: 100, severity: .low)
            low.status = .closed
            var high = Fixture.incident(org: org, at: 200, severity: .high)
            high.assignee = "alice"
            let critical = Fixture.incident(org: org, at: 300, severity: .critical)
            var merged = Fixture.incident(org: org, at: 50, severity: .medium)
            merged.mergedInto = critical.id
            try await store.save([low, high, critical])
            func ids(_ query: IncidentQuery) async throws -> [Incident.ID] {
                try await store.search(query, in: org).items.map(\.id)
            }
            try verify.expectEqual(try await ids(IncidentQuery()), [critical.id, high.id, low.id], "newest first")
            try verify.expectEqual(try await ids(IncidentQuery(statuses: [.new])), [critical.id, high.id], "status")
            try verify.expectEqual(
                try await ids(IncidentQuery(minimumSeverity: .high)), [critical.id, high.id], "minimum severity")
            try verify.expectEqual(try await ids(IncidentQuery(assignee: "alice")), [high.id], "assignee")
            let range = TimeRange(start: Fixture.time(100), end: Fixture.time(300))
            try verify.expectEqual(try await ids(IncidentQuery(timeRange: range)), [high.id, low.id], "time range")
            let page = try await store.search(IncidentQuery(page: PageRequest(limit: 2, offset: 1)), in: org)
            try verify.expectEqual(page.items.map(\.id), [high.id, low.id], "page")
            try verify.expectEqual(page.total, 3, "total")
            try await store.save([merged])
            try verify.expectEqual(
                try await ids(IncidentQuery(includeMerged: false)), [critical.id, high.id, low.id], "merged left out")
            try verify.expectEqual(
                try await ids(IncidentQuery()), [critical.id, high.id, low.id, merged.id], "merged listed")

        case .transitionIsCompareAndSet:
            let incident = Fixture.incident(org: org, at: 10)
            try await store.save([incident])
            let moved = try await store.transition(
                incident.id, in: org, from: .new, to: .investigating, by: "alice", at: Fixture.time(20))
            try verify.expectEqual(moved.status, .investigating, "returned status")
            try verify.expectEqual(moved.updatedAt, Fixture.time(20), "updated at")
            try await verify.expectError(.conflict, "stale expected status") {
                _ = try await store.transition(
                    incident.id, in: org, from: .new, to: .closed, by: "alice", at: Fixture.time(30))
            }
            try verify.expectEqual(try await store.incident(incident.id, in: org)?.status, .investigating, "unchanged")
            try await verify.expectError(.notFound, "unknown incident") {
                _ = try await store.transition(
                    .random(), in: org, from: .new, to: .closed, by: "alice", at: Fixture.time(30))
            }

        case .concurrentTransitionsHaveOneWinner:
            let incident = Fixture.incident(org: org, at: 10)
            try await store.save([incident])
            let targets: [IncidentStatus] = [.resolved, .closed, .disrupted, .investigating, .resolved, .closed]
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for target in targets {
                    group.addTask {
                        do {
                            _ = try await store.transition(
                                incident.id, in: org, from: .new, to: target, by: "alice", at: Fixture.time(20))
                            return true
                        } catch let error as StorageError where error.code == .conflict {
                            return false
                        }
                    }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            try verify.expectEqual(winners, 1, "transitions that succeeded")

        case .assignAndNotes:
            let incident = Fixture.incident(org: org, at: 10)
            try await store.save([incident])
            let assigned = try await store.assign(incident.id, in: org, to: "bob", by: "alice", at: Fixture.time(20))
            try verify.expectEqual(assigned.assignee, "bob", "assignee")
            let cleared = try await store.assign(incident.id, in: org, to: nil, by: "bob", at: Fixture.time(21))
            try verify.expectEqual(cleared.assignee, nil, "assignee cleared")
            let note = IncidentNote(author: "bob", text: "blocked at firewall", createdAt: Fixture.time(30))
            _ = try await store.append(note, to: incident.id, in: org)
            let twice = try await store.append(note, to: incident.id, in: org)
            try verify.expectEqual(twice.notes, [note], "note appended once")
            try verify.expectEqual(try await store.incident(incident.id, in: org)?.notes, [note], "stored notes")
            try await verify.expectError(.notFound, "note on unknown incident") {
                _ = try await store.append(note, to: .random(), in: org)
            }

        case .workflowChangesAreAudited:
            let incident = Fixture.incident(org: org, at: 10)
            try await store.save([incident])
            _ = try await store.transition(
                incident.id, in: org, from: .new, to: .investigating, by: "alice", at: Fixture.time(20))
            _ = try await store.assign(incident.id, in: org, to: "bob", by: "alice", at: Fixture.time(21))
            _ = try await store.assign(incident.id, in: org, to: "bob", by: "alice", at: Fixture.time(22))
            let note = IncidentNote(author: "bob", text: "contained", createdAt: Fixture.time(23))
            _ = try await store.append(note, to: incident.id, in: org)
            _ = try await store.append(note, to: incident.id, in: org)
            let expected = [
                IncidentActivity(.statusChanged, by: "alice", at: Fixture.time(20), from: "1", to: "2"),
                IncidentActivity(.assigned, by: "alice", at: Fixture.time(21), to: "bob"),
                IncidentActivity(.noteAdded, by: "bob", at: Fixture.time(23), to: note.id.rawValue),
            ]
            try verify.expectEqual(
                try await store.incident(incident.id, in: org)?.history, expected,
                "one entry per change, none for a repeated assignment or note")
            _ = try? await store.transition(
                incident.id, in: org, from: .new, to: .closed, by: "mallory", at: Fixture.time(30))
            try verify.expectEqual(
                try await store.incident(incident.id, in: org)?.history.count, 3, "a refused transition leaves no entry"
            )

        case .engineSavesKeepTheWorkflow:
            let incident = Fixture.incident(org: org, at: 10)
            try verify.expectEqual(try await store.saveKeepingWorkflow([incident]), [incident], "a new incident")
            _ = try await store.transition(
                incident.id, in: org, from: .new, to: .disrupted, by: "alice", at: Fixture.time(20))
            let note = IncidentNote(author: "alice", text: "blocked", createdAt: Fixture.time(21))
            _ = try await store.append(note, to: incident.id, in: org)
            // The engine's copy predates the analyst's work and brings a new lead.
            var engineView = incident
            engineView.leads.append(incident.leads[0])
            engineView.title = "more"
            engineView.updatedAt = Fixture.time(30)
            let saved = try await store.saveKeepingWorkflow([engineView])
            let stored = try await store.incident(incident.id, in: org)
            try verify.expectEqual(saved.first, stored, "returns what it stored")
            try verify.expectEqual(stored?.status, .disrupted, "status kept")
            try verify.expectEqual(stored?.notes, [note], "notes kept")
            try verify.expectEqual(stored?.history.count, 2, "history kept")
            try verify.expectEqual(stored?.leads.count, 2, "leads taken from the engine")
            try verify.expectEqual(stored?.title, "more", "title taken from the engine")
            var foreign = Fixture.incident(org: Fixture.org(), at: 10)
            foreign.id = incident.id
            try verify.expectEqual(try await store.saveKeepingWorkflow([foreign]), [], "another org's id is skipped")
            try verify.expectEqual(try await store.incident(incident.id, in: org)?.title, "more", "owner keeps it")

        case .workUnitsCanBeManaged:
            let incident = Fixture.incident(org: org, at: 10)
            var first = WorkUnit(orgID: org, incidentID: incident.id, title: "Block IP", createdAt: Fixture.time(1))
            let second = WorkUnit(
                orgID: org, incidentID: incident.id, title: "Reset password", createdAt: Fixture.time(2))
            let elsewhere = WorkUnit(orgID: org, incidentID: .random(), title: "Other", createdAt: Fixture.time(3))
            try await store.save([second, first, elsewhere])
            try verify.expectEqual(
                try await store.workUnits(of: incident.id, in: org).map(\.id), [first.id, second.id], "oldest first")
            first.status = .complete
            first.timeSpentSeconds = 900
            try await store.save([first])
            try verify.expectEqual(try await store.workUnit(first.id, in: org), first, "updated")
            try verify.expectEqual(try await store.deleteWorkUnit(first.id, in: org), true, "deleted")
            try verify.expectEqual(try await store.deleteWorkUnit(first.id, in: org), false, "deleted twice")
            try verify.expectEqual(try await store.workUnits(of: incident.id, in: org).map(\.id), [second.id], "left")

        case .observationsCanBeSearched:
            let incident = Incident.ID.random()
            let a = Observation(orgID: org, incidentID: incident, text: "a", observedAt: Fixture.time(1))
            let b = Observation(orgID: org, nodeID: "ip:10.0.0.1", text: "b", observedAt: Fixture.time(2))
            let c = Observation(
                orgID: org, incidentID: incident, nodeID: "ip:10.0.0.1", text: "c", observedAt: Fixture.time(3))
            try await store.save([a, b, c])
            try await store.save([a])
            func ids(_ query: ObservationQuery) async throws -> [Observation.ID] {
                try await store.search(query, in: org).items.map(\.id)
            }
            try verify.expectEqual(try await ids(ObservationQuery()), [c.id, b.id, a.id], "newest first")
            try verify.expectEqual(try await ids(ObservationQuery(incidentID: incident)), [c.id, a.id], "by incident")
            try verify.expectEqual(try await ids(ObservationQuery(nodeID: "ip:10.0.0.1")), [c.id, b.id], "by node")
            try verify.expectEqual(
                try await ids(ObservationQuery(timeRange: TimeRange(start: Fixture.time(2), end: Fixture.time(3)))),
                [b.id], "time range")

        case .orgsNeverSeeEachOther:
            let other = Fixture.org()
            let theirs = Fixture.incident(org: other, at: 10)
            try await store.save([theirs])
            try verify.expectEqual(try await store.incident(theirs.id, in: org), nil, "get")
            try verify.expectEqual(try await store.search(IncidentQuery(), in: org).total, 0, "search")
            try await verify.expectError(.notFound, "transition") {
                _ = try await store.transition(
                    theirs.id, in: org, from: .new, to: .closed, by: "mallory", at: Fixture.time(20))
            }
            try await verify.expectError(.notFound, "assign") {
                _ = try await store.assign(theirs.id, in: org, to: "mallory", by: "mallory", at: Fixture.time(20))
            }
            // Writing a record under a foreign id must not take it over.
            var hijack = theirs
            hijack.orgID = org
            hijack.title = "hijacked"
            try? await store.save([hijack])
            try verify.expectEqual(
                try await store.incident(theirs.id, in: other)?.title, theirs.title, "owner keeps it")
            let unit = WorkUnit(orgID: other, incidentID: theirs.id, title: "x")
            try await store.save([unit])
            try verify.expectEqual(try await store.workUnit(unit.id, in: org), nil, "work unit")
            try verify.expectEqual(try await store.workUnits(of: theirs.id, in: org), [], "work units")
            try verify.expectEqual(try await store.deleteWorkUnit(unit.id, in: org), false, "delete work unit")
            try await store.save([Observation(orgID: other, text: "x")])
            try verify.expectEqual(try await store.search(ObservationQuery(), in: org).total, 0, "observations")

        case .purgeRemovesExactlyTheExpired:
            let day: Double = 86_400
            let old = Fixture.incident(org: org, at: -400 * day)
            let recent = Fixture.incident(org: org, at: -1 * day)
            let oldUnit = WorkUnit(orgID: org, incidentID: old.id, title: "old", createdAt: Fixture.time(-400 * day))
            let newUnit = WorkUnit(orgID: org, incidentID: recent.id, title: "new", createdAt: Fixture.time(-day))
            try await store.save([old, recent])
            try await store.save([oldUnit, newUnit])
            try await store.save([Observation(orgID: org, text: "old", observedAt: Fixture.time(-400 * day))])
            let cutoff = Fixture.time(-365 * day)
            try verify.expectEqual(try await store.purgeIncidents(before: cutoff, dryRun: true), 2, "dry run")
            try verify.expectEqual(try await store.search(IncidentQuery(), in: org).total, 2, "dry run keeps all")
            try verify.expectEqual(try await store.purgeIncidents(before: cutoff, dryRun: false), 2, "incidents")
            try verify.expectEqual(
                try await store.search(IncidentQuery(), in: org).items.map(\.id), [recent.id], "left")
            try verify.expectEqual(try await store.search(ObservationQuery(), in: org).total, 0, "observations")
            try verify.expectEqual(try await store.purgeWorkUnits(before: cutoff, dryRun: false), 1, "work units")
            try verify.expectEqual(try await store.workUnit(newUnit.id, in: org), newUnit, "recent work unit kept")
        }
    }
}
