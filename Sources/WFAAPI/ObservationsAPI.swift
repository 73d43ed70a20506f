import Foundation
import WFACore
import WFAStorage

/// What analysts and tools observed about incidents, nodes and artifacts.
extension APIHandler {
    public func listObservations(_ input: Operations.ListObservations.Input) async throws
        -> Operations.ListObservations.Output
    {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        try RequestValidation.length(input.query.incidentId, of: "incident_id", in: 1...100)
        let node = try input.query.nodeId.map { try Self.nodeID($0, "node_id") }
        guard let range = Self.timeRange(from: input.query.from, to: input.query.to) else {
            let empty = Components.Schemas.ObservationPage(items: [], total: 0, limit: page.limit, offset: page.offset)
            return .ok(.init(body: .json(.init(success: true, message: "ok", data: empty))))
        }
        let query = ObservationQuery(
            timeRange: range, incidentID: input.query.incidentId.map { Incident.ID($0) }, nodeID: node, page: page)
        let result = try await self.storage.incidents.search(query, in: principal.orgID)
        let data = Components.Schemas.ObservationPage(
            items: try result.items.map(APIConversion.observation), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func createObservation(_ input: Operations.CreateObservation.Input) async throws
        -> Operations.CreateObservation.Output
    {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        try RequestValidation.length(body.text, of: "text", in: 1...10_000)
        try RequestValidation.length(body.artifactId, of: "artifact_id", in: 1...100)
        let node = try body.nodeId.map { try Self.nodeID($0, "node_id") }
        var incident: Incident.ID?
        if let id = body.incidentId {
            incident = try await self.existingIncident(try Self.incidentID(id), in: principal.orgID).id
        }
        let observation = Observation(
            orgID: principal.orgID, incidentID: incident, nodeID: node,
            artifactID: body.artifactId.map { Artifact.ID($0) },
            author: principal.actor, text: body.text, observedAt: body.observedAt ?? Date())
        try await self.storage.incidents.save([observation])
        return .created(
            .init(
                body: .json(
                    .init(success: true, message: "created", data: try APIConversion.observation(observation)))))
    }
}
