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
        try RequestValidation.length(input.query._type, of: "type", in: 1...50)
        try RequestValidation.length(input.query.prefix, of: "prefix", in: 1...1_000)
        try RequestValidation.length(input.query.flags, of: "flags", in: 0...100)
        let query = NodeQuery(
            type: input.query._type.map { NodeType(rawValue: $0.lowercased()) }, valuePrefix: input.query.prefix,
            requiredFlags: try Self.flags(input.query.flags), page: page)
        let result = try await self.storage.graph.searchNodes(query, in: principal.orgID)
        let data = Components.Schemas.NodePage(
            items: try result.items.map(APIConversion.node), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getNode(_ input: Operations.GetNode.Input) async throws -> Operations.GetNode.Output {
        let principal = try self.principal()
        guard let node = try await self.storage.graph.node(try Self.nodeID(input.path.id, "id"), in: principal.orgID)
        else {
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
        guard
            let node = try await self.storage.graph.setFlags(
                flags, of: try Self.nodeID(input.path.id, "id"), in: principal.orgID)
        else { throw StorageError(.notFound, "node not found") }
        return .ok(.init(body: .json(.init(success: true, message: "updated", data: try APIConversion.node(node)))))
    }

    public func listEdges(_ input: Operations.ListEdges.Input) async throws -> Operations.ListEdges.Output {
        let principal = try self.principal()
        let page = PageRequest(limit: input.query.limit ?? 50, offset: input.query.offset ?? 0)
        try Self.validate(page)
        let direction = EdgeQuery.Direction(rawValue: input.query.direction?.rawValue ?? "both") ?? .both
        let node = try Self.nodeID(input.query.node, "node")
        try RequestValidation.length(input.query._type, of: "type", in: 1...50)
        guard let range = Self.timeRange(from: input.query.from, to: input.query.to) else {
            let empty = Components.Schemas.EdgePage(items: [], total: 0, limit: page.limit, offset: page.offset)
            return .ok(.init(body: .json(.init(success: true, message: "ok", data: empty))))
        }
        let query = EdgeQuery(
            nodeID: node, direction: direction, type: input.query._type.map { EdgeType(rawValue: $0.lowercased()) },
            timeRange: range, page: page)
        let result = try await self.storage.graph.searchEdges(query, in: principal.orgID)
        let data = Components.Schemas.EdgePage(
            items: try result.items.map(APIConversion.edge), total: result.total, limit: result.limit,
            offset: result.offset)
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func getEdge(_ input: Operations.GetEdge.Input) async throws -> Operations.GetEdge.Output {
        let principal = try self.principal()
        try RequestValidation.length(input.path.id, of: "id", in: 3...2_300)
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
                of: try Self.nodeID(input.query.node, "node"), depth: depth, limit: limit, in: principal.orgID)
        else { throw StorageError(.notFound, "node not found") }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: try APIConversion.subgraph(subgraph)))))
    }

    public func getPath(_ input: Operations.GetPath.Input) async throws -> Operations.GetPath.Output {
        let principal = try self.principal()
        let depth = input.query.maxDepth ?? 4
        guard (1...6).contains(depth) else { throw APIError.invalid("max_depth must be 1...6") }
        switch try await GraphExplorer(store: self.storage.graph).shortestPath(
            from: try Self.nodeID(input.query.from, "from"), to: try Self.nodeID(input.query.to, "to"),
            maximumDepth: depth, in: principal.orgID)
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

    /// `managed,internal`: the flags a node must all have (the document's pattern allows no others).
    static func flags(_ text: String?) throws -> NodeFlags {
        var flags = NodeFlags()
        for name in (text ?? "").split(separator: ",") {
            switch name {
            case "managed": flags.managed = true
            case "internal": flags.internal = true
            case "trusted": flags.trusted = true
            case "infrastructure": flags.infrastructure = true
            default: throw APIError.invalid("unknown flag '\(name)'; use managed, internal, trusted, infrastructure")
            }
        }
        return flags
    }

    /// `[from, to)`, each end open when not given; nil when `to` is before `from` (nothing matches).
    static func timeRange(from: Date?, to: Date?) -> TimeRange? {
        let range = TimeRange(start: from ?? TimeRange.all.start, end: to ?? TimeRange.all.end)
        return range.start <= range.end ? range : nil
    }

    /// A node id parameter within the document's bound.
    static func nodeID(_ text: String, _ field: String) throws -> Node.ID {
        try RequestValidation.length(text, of: field, in: 3...1_100)
        return Node.ID(text)
    }
}
