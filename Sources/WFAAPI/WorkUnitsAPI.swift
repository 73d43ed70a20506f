import Foundation
import WFACore
import WFAStorage

/// Tasks inside an incident.
extension APIHandler {
    public func listWorkUnits(_ input: Operations.ListWorkUnits.Input) async throws -> Operations.ListWorkUnits.Output {
        let principal = try self.principal()
        let incident = try await self.existingIncident(try Self.incidentID(input.path.id), in: principal.orgID)
        let units = try await self.storage.incidents.workUnits(of: incident.id, in: principal.orgID)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try units.map(APIConversion.workUnit)))))
    }

    public func createWorkUnit(_ input: Operations.CreateWorkUnit.Input) async throws
        -> Operations.CreateWorkUnit.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.title, of: "title", in: 1...200)
        try RequestValidation.length(body.details, of: "details", in: 0...10_000)
        let priority = try Self.priority(body.priority ?? 3)
        let incident = try await self.existingIncident(try Self.incidentID(input.path.id), in: principal.orgID)
        let unit = WorkUnit(
            orgID: principal.orgID, incidentID: incident.id, title: body.title, details: body.details ?? "",
            priority: priority, assignee: try await self.assignableUser(body.assignee, in: principal.orgID))
        try await self.storage.incidents.save([unit])
        return .created(
            .init(body: .json(.init(success: true, message: "created", data: try APIConversion.workUnit(unit)))))
    }

    public func getWorkUnit(_ input: Operations.GetWorkUnit.Input) async throws -> Operations.GetWorkUnit.Output {
        let principal = try self.principal()
        let unit = try await self.existingWorkUnit(input.path.id, in: principal.orgID)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.workUnit(unit)))))
    }

    public func updateWorkUnit(_ input: Operations.UpdateWorkUnit.Input) async throws
        -> Operations.UpdateWorkUnit.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.title, of: "title", in: 1...200)
        try RequestValidation.length(body.details, of: "details", in: 0...10_000)
        if let seconds = body.addSeconds, !(0...86_400).contains(seconds) {
            throw APIError.invalid("add_seconds must be 0 to 86400 (one day at a time)")
        }
        let priority = try body.priority.map(Self.priority)
        var unit = try await self.existingWorkUnit(input.path.id, in: principal.orgID)
        if let title = body.title { unit.title = title }
        if let details = body.details { unit.details = details }
        if let status = body.status { unit.status = WorkUnit.Status(rawValue: status.rawValue) ?? unit.status }
        if let priority { unit.priority = priority }
        if body.unassign == true { unit.assignee = nil }
        if let assignee = try await self.assignableUser(body.assignee, in: principal.orgID) { unit.assignee = assignee }
        unit.timeSpentSeconds += body.addSeconds ?? 0
        unit.updatedAt = EpochMicroseconds.normalize(Date())
        try await self.storage.incidents.save([unit])
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try APIConversion.workUnit(unit)))))
    }

    public func deleteWorkUnit(_ input: Operations.DeleteWorkUnit.Input) async throws
        -> Operations.DeleteWorkUnit.Output
    {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 1...100)
        guard try await self.storage.incidents.deleteWorkUnit(WorkUnit.ID(input.path.id), in: principal.orgID) else {
            throw StorageError(.notFound, "work unit not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "deleted"))))
    }

    private func existingWorkUnit(_ text: String, in org: Org.ID) async throws -> WorkUnit {
        try RequestValidation.length(text, of: "id", in: 1...100)
        guard let unit = try await self.storage.incidents.workUnit(WorkUnit.ID(text), in: org) else {
            throw StorageError(.notFound, "work unit not found")
        }
        return unit
    }

    private static func priority(_ value: Int) throws -> Int {
        guard (1...5).contains(value) else { throw APIError.invalid("priority must be 1 (most urgent) to 5") }
        return value
    }
}
