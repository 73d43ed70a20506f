import Foundation
import WFACore
import WFAStorage

extension APIHandler {
    public func listIncidents(_ input: Operations.ListIncidents.Input) async throws
        -> Operations.ListIncidents.Output
    {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        var statuses: Set<IncidentStatus> = []
        for part in input.query.status?.split(separator: ",", omittingEmptySubsequences: false) ?? [] {
            guard let number = Int(part.trimmingCharacters(in: .whitespaces)),
                let status = IncidentStatus(rawValue: number)
            else {
                throw APIError.invalid("status must list numbers 1 to 5, e.g. 1,2")
            }
            statuses.insert(status)
        }
        try RequestValidation.length(input.query.assignee, of: "assignee", in: 1...100)
        guard let range = Self.timeRange(from: input.query.from, to: input.query.to) else {
            let empty = Components.Schemas.IncidentPage(items: [], total: 0, limit: page.limit, offset: page.offset)
            return .ok(.init(body: .json(.init(success: true, message: "ok", data: empty))))
        }
        let query = IncidentQuery(
            timeRange: range, statuses: statuses,
            minimumSeverity: input.query.minSeverity.flatMap { IncidentSeverity(rawValue: $0.rawValue) },
            assignee: input.query.assignee.map { User.ID($0) }, includeMerged: input.query.includeMerged ?? false,
            page: page)
        let result = try await self.storage.incidents.search(query, in: principal.orgID)
        let data = Components.Schemas.IncidentPage(
            items: try result.items.map(APIConversion.incident), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getIncident(_ input: Operations.GetIncident.Input) async throws -> Operations.GetIncident.Output {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 1...100)
        guard let incident = try await self.storage.incidents.incident(Incident.ID(input.path.id), in: principal.orgID)
        else {
            throw StorageError(.notFound, "incident not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.incident(incident)))))
    }
}
