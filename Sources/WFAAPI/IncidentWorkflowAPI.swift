import Foundation
import HTTPTypes
import Logging
import WFACore
import WFAMessaging
import WFAStorage

/// An analyst's work on an incident: status, assignee, notes, and the timeline that shows it.
/// Every change is recorded in the incident's history by the store and announced on the bus
/// (for the dispatcher and the notifier).
extension APIHandler {
    public func changeIncidentStatus(_ input: Operations.ChangeIncidentStatus.Input) async throws
        -> Operations.ChangeIncidentStatus.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.note, of: "note", in: 1...10_000)
        guard let target = IncidentStatus(rawValue: body.status) else {
            throw APIError.invalid("status must be 1 to 5")
        }
        let expectedStatus = try body.expectedStatus.map { number in
            guard let status = IncidentStatus(rawValue: number) else {
                throw APIError.invalid("expected_status must be 1 to 5")
            }
            return status
        }
        let id = try Self.incidentID(input.path.id)
        // With expected_status the store's compare-and-set decides; without, the current status is `from`.
        let from: IncidentStatus
        if let expectedStatus {
            from = expectedStatus
        } else {
            from = try await self.existingIncident(id, in: principal.orgID).status
        }
        guard from.canTransition(to: target) else {
            throw APIError(
                .conflict, code: "incident.transition_not_allowed",
                from == target
                    ? "the incident is already \(target.rawValue) (\(target))"
                    : "an incident in \(from.rawValue) (\(from)) can only be reopened to 2 (investigating)")
        }
        let now = Date()
        var incident = try await self.storage.incidents.transition(
            id, in: principal.orgID, from: from, to: target, by: principal.actor, at: now)
        var activities = Array(incident.history.suffix(1))
        if let text = body.note {
            incident = try await self.storage.incidents.append(
                IncidentNote(author: principal.actor, text: text, createdAt: now), to: id, in: principal.orgID)
            activities += incident.history.suffix(1)
        }
        await self.announce(incident, activities)
        return .ok(
            .init(body: .json(.init(success: true, message: "updated", data: try APIConversion.incident(incident)))))
    }

    public func assignIncident(_ input: Operations.AssignIncident.Input) async throws
        -> Operations.AssignIncident.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let assignee = try await self.assignableUser(body.assignee, in: principal.orgID)
        let id = try Self.incidentID(input.path.id)
        let now = Date()
        let incident = try await self.storage.incidents.assign(
            id, in: principal.orgID, to: assignee, by: principal.actor, at: now)
        // The store records no entry when the assignee was already this one; announce only a real change.
        if let change = incident.history.last, change.action == .assigned, change.actor == principal.actor.rawValue,
            change.at == EpochMicroseconds.normalize(now), change.to == assignee?.rawValue
        {
            await self.announce(incident, [change])
        }
        return .ok(
            .init(body: .json(.init(success: true, message: "updated", data: try APIConversion.incident(incident)))))
    }

    public func addIncidentNote(_ input: Operations.AddIncidentNote.Input) async throws
        -> Operations.AddIncidentNote.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.text, of: "text", in: 1...10_000)
        let note = IncidentNote(author: principal.actor, text: body.text)
        let incident = try await self.storage.incidents.append(
            note, to: try Self.incidentID(input.path.id), in: principal.orgID)
        await self.announce(incident, incident.history.filter { $0.action == .noteAdded && $0.to == note.id.rawValue })
        return .created(
            .init(body: .json(.init(success: true, message: "created", data: try APIConversion.incident(incident)))))
    }

    public func getIncidentTimeline(_ input: Operations.GetIncidentTimeline.Input) async throws
        -> Operations.GetIncidentTimeline.Output
    {
        let principal = try self.principal()
        let incident = try await self.existingIncident(try Self.incidentID(input.path.id), in: principal.orgID)
        let entries = IncidentTimeline(incident).entries.map { entry in
            Components.Schemas.TimelineEntry(
                at: entry.at, _type: .init(rawValue: entry.kind) ?? .lead, actor: entry.actor, summary: entry.summary,
                ruleId: entry.ruleID, artifactId: entry.artifactID?.rawValue, count: entry.count)
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: entries))))
    }

    // MARK: Shared by the incident operations

    static func incidentID(_ text: String) throws -> Incident.ID {
        try RequestValidation.length(text, of: "id", in: 1...100)
        return Incident.ID(text)
    }

    func existingIncident(_ id: Incident.ID, in org: Org.ID) async throws -> Incident {
        guard let incident = try await self.storage.incidents.incident(id, in: org) else {
            throw StorageError(.notFound, "incident not found")
        }
        return incident
    }

    /// A user id the caller may assign work to: one of the org's enabled users.
    func assignableUser(_ text: String?, in org: Org.ID) async throws -> User.ID? {
        guard let text else { return nil }
        try RequestValidation.length(text, of: "assignee", in: 1...100)
        guard let user = try await self.storage.directory.user(User.ID(text), in: org), !user.disabled else {
            throw APIError(.notFound, code: "user.not_found", "no enabled user \(text) in this org")
        }
        return user.id
    }

    /// Tells the dispatcher and the notifier. The change is already stored, so a bus failure is
    /// logged rather than turned into an error that would make the caller retry a done change.
    func announce(_ incident: Incident, _ activities: [IncidentActivity]) async {
        guard let bus = self.bus, !activities.isEmpty else { return }
        do {
            try await bus.publish([
                try BusMessage.incidentEvent(IncidentEvent(kind: .updated, incident: incident, activities: activities))
            ])
        } catch {
            self.logger.warning(
                "incident change stored but not announced",
                metadata: ["incident": "\(incident.id)", "error": "\(error)"])
        }
    }
}
