import Foundation
import HTTPTypes
import WFACore
import WFAGraph
import WFAStorage

extension APIHandler {
    public func listNodes(_ input: Operations.ListNodes.Input) async throws -> Operations.ListNodes.Output {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        let query = NodeQuery(
            type: input.query._type.map { NodeType(rawValue: $0.lowercased()) }, valuePrefix: input.query.prefix,
            requiredFlags: Self.flags(input.query.flags), page: page)
        let result = try await self.storage.graph.searchNodes(query, in: principal.orgID)
        let data = Components.Schemas.NodePage(
            items: try result.items.map(APIConversion.node), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getNode(_ input: Operations.GetNode.Input) async throws -> Operations.GetNode.Output {
        let principal = try self.principal()
        guard let node = try await self.storage.graph.node(Node.ID(input.path.id), in: principal.orgID) else {
            throw StorageError(.notFound, "node not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.node(node)))))
    }

    public func setNodeFlags(_ input: Operations.SetNodeFlags.Input) async throws -> Operations.SetNodeFlags.Output {
        let principal = try self.principal()
        guard case .json(let body) = input.body else { throw APIError.invalid("expected a JSON body") }
        let flags = NodeFlags(
            managed: body.managed, internal: body._internal, trusted: body.trusted,
            infrastructure: body.infrastructure)
        guard let node = try await self.storage.graph.setFlags(flags, of: Node.ID(input.path.id), in: principal.orgID)
        else { throw StorageError(.notFound, "node not found") }
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try APIConversion.node(node)))))
    }

    public func listEdges(_ input: Operations.ListEdges.Input) async throws -> Operations.ListEdges.Output {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        let direction = EdgeQuery.Direction(rawValue: input.query.direction?.rawValue ?? "both") ?? .both
        let query = EdgeQuery(
            nodeID: Node.ID(input.query.node), direction: direction,
            type: input.query._type.map { EdgeType(rawValue: $0.lowercased()) },
            timeRange: try Self.timeRange(from: input.query.from, to: input.query.to), page: page)
        let result = try await self.storage.graph.searchEdges(query, in: principal.orgID)
        let data = Components.Schemas.EdgePage(
            items: try result.items.map(APIConversion.edge), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getEdge(_ input: Operations.GetEdge.Input) async throws -> Operations.GetEdge.Output {
        let principal = try self.principal()
        guard let edge = try await self.storage.graph.edge(Edge.ID(input.path.id), in: principal.orgID) else {
            throw StorageError(.notFound, "edge not found")
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.edge(edge)))))
    }

    public func getNeighborhood(_ input: Operations.GetNeighborhood.Input) async throws
        -> Operations.GetNeighborhood.Output
    {
        let principal = try self.principal()
        let depth = input.query.depth ?? 1
        let limit = input.query.limit ?? 500
        guard (1...3).contains(depth), (1...5_000).contains(limit) else {
            throw APIError.invalid("depth must be 1...3 and limit 1...5000")
        }
        guard
            let subgraph = try await GraphExplorer(store: self.storage.graph).neighborhood(
                of: Node.ID(input.query.node), depth: depth, limit: limit, in: principal.orgID)
        else { throw StorageError(.notFound, "node not found") }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.subgraph(subgraph)))))
    }

    public func getPath(_ input: Operations.GetPath.Input) async throws -> Operations.GetPath.Output {
        let principal = try self.principal()
        let depth = input.query.maxDepth ?? 4
        guard (1...6).contains(depth) else { throw APIError.invalid("max_depth must be 1...6") }
        switch try await GraphExplorer(store: self.storage.graph).shortestPath(
            from: Node.ID(input.query.from), to: Node.ID(input.query.to), maximumDepth: depth, in: principal.orgID)
        {
        case .success(let subgraph):
            return .ok(
                .init(body: .json(.init(success: true, message: "ok", data: try APIConversion.subgraph(subgraph)))))
        case .failure(.missingNode(let id)):
            throw APIError(.notFound, code: "storage.not_found", "no node \(id)")
        case .failure(.noPath(let maximum)):
            throw APIError(.notFound, code: "graph.no_path", "no path within \(maximum) edges")
        }
    }

    /// The flags a node must all have.
    static func flags(_ names: Operations.ListNodes.Input.Query.FlagsPayload?) -> NodeFlags {
        var flags = NodeFlags()
        for name in names ?? [] {
            switch name {
            case .managed: flags.managed = true
            case ._internal: flags.internal = true
            case .trusted: flags.trusted = true
            case .infrastructure: flags.infrastructure = true
            }
        }
        return flags
    }

    /// `[from, to)`, each end open when not given.
    static func timeRange(from: Date?, to: Date?) throws -> TimeRange {
        let range = TimeRange(start: from ?? TimeRange.all.start, end: to ?? TimeRange.all.end)
        guard range.start <= range.end else { throw APIError.invalid("'to' is before 'from'") }
        return range
    }
}
