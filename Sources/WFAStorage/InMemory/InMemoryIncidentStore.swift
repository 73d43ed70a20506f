public import Foundation
public import WFACore

/// An ``IncidentStore`` in memory.
public actor InMemoryIncidentStore: IncidentStore {
    private var incidents: [Incident.ID: Incident] = [:]
    private var workUnits: [WorkUnit.ID: WorkUnit] = [:]
    private var observations: [Observation.ID: Observation] = [:]

    public init() {}

    public func save(_ batch: [Incident]) async throws {
        for incident in batch {
            // An id is owned by the org that first stored it; another org cannot overwrite it.
            if let existing = self.incidents[incident.id], existing.orgID != incident.orgID { continue }
            self.incidents[incident.id] = incident
        }
    }

    public func incident(_ id: Incident.ID, in org: Org.ID) async throws -> Incident? {
        self.incidents[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func search(_ query: IncidentQuery, in org: Org.ID) async throws -> Page<Incident> {
        let page = try query.page.validated()
        let matches = self.incidents.values.filter { $0.orgID == org && query.matches($0) }
            .sorted { $0.createdAt != $1.createdAt ? $0.createdAt > $1.createdAt : $0.id > $1.id }
        return Page(slicing: matches, page)
    }

    private func existing(_ id: Incident.ID, in org: Org.ID) throws -> Incident {
        guard let incident = self.incidents[id], incident.orgID == org else {
            throw StorageError(.notFound, "incident not found")
        }
        return incident
    }

    public func saveKeepingWorkflow(_ batch: [Incident]) async throws -> [Incident] {
        var saved: [Incident] = []
        for incident in batch {
            guard let stored = self.incidents[incident.id] else {
                self.incidents[incident.id] = incident
                saved.append(incident)
                continue
            }
            guard stored.orgID == incident.orgID else { continue }
            let merged = incident.keepingWorkflow(of: stored)
            self.incidents[incident.id] = merged
            saved.append(merged)
        }
        return saved
    }

    private func modify(_ id: Incident.ID, in org: Org.ID, _ change: (inout Incident) throws -> Void) throws
        -> Incident
    {
        guard var incident = self.incidents[id], incident.orgID == org else {
            throw StorageError(.notFound, "incident not found")
        }
        try change(&incident)
        self.incidents[id] = incident
        return incident
    }

    public func transition(
        _ id: Incident.ID, in org: Org.ID, from expected: IncidentStatus, to status: IncidentStatus,
        by actor: User.ID, at time: Date
    ) async throws -> Incident {
        try self.modify(id, in: org) { try $0.applyTransition(from: expected, to: status, by: actor, at: time) }
    }

    public func assign(
        _ id: Incident.ID, in org: Org.ID, to assignee: User.ID?, by actor: User.ID, at time: Date
    ) async throws -> Incident {
        try self.modify(id, in: org) { $0.applyAssignment(assignee, by: actor, at: time) }
    }

    public func append(_ note: IncidentNote, to id: Incident.ID, in org: Org.ID) async throws -> Incident {
        try self.modify(id, in: org) { $0.applyNote(note) }
    }

    public func save(_ batch: [WorkUnit]) async throws {
        for unit in batch {
            if let existing = self.workUnits[unit.id], existing.orgID != unit.orgID { continue }
            self.workUnits[unit.id] = unit
        }
    }

    public func workUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> WorkUnit? {
        self.workUnits[id].flatMap { $0.orgID == org ? $0 : nil }
    }

    public func workUnits(of incident: Incident.ID, in org: Org.ID) async throws -> [WorkUnit] {
        self.workUnits.values.filter { $0.orgID == org && $0.incidentID == incident }
            .sorted { $0.createdAt != $1.createdAt ? $0.createdAt < $1.createdAt : $0.id < $1.id }
    }

    public func deleteWorkUnit(_ id: WorkUnit.ID, in org: Org.ID) async throws -> Bool {
        guard let unit = self.workUnits[id], unit.orgID == org else { return false }
        self.workUnits[id] = nil
        return true
    }

    public func save(_ batch: [Observation]) async throws {
        for observation in batch {
            if let existing = self.observations[observation.id], existing.orgID != observation.orgID { continue }
            self.observations[observation.id] = observation
        }
    }

    public func search(_ query: ObservationQuery, in org: Org.ID) async throws -> Page<Observation> {
        let page = try query.page.validated()
        let matches = self.observations.values.filter { $0.orgID == org && query.matches($0) }
            .sorted { $0.observedAt != $1.observedAt ? $0.observedAt > $1.observedAt : $0.id > $1.id }
        return Page(slicing: matches, page)
    }

    public func purgeIncidents(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let expired = self.incidents.values.filter { $0.updatedAt < cutoff }.map(\.id)
        let expiredObservations = self.observations.values.filter { $0.observedAt < cutoff }.map(\.id)
        if !dryRun {
            for id in expired { self.incidents[id] = nil }
            for id in expiredObservations { self.observations[id] = nil }
        }
        return expired.count + expiredObservations.count
    }

    public func purgeWorkUnits(before cutoff: Date, dryRun: Bool) async throws -> Int {
        let expired = self.workUnits.values.filter { $0.updatedAt < cutoff }.map(\.id)
        if !dryRun {
            for id in expired { self.workUnits[id] = nil }
        }
        return expired.count
    }
}
