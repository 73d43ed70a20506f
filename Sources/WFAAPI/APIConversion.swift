import Foundation
import WFACore
import WFAGraph

/// Domain values into the document's types. The domain types encode to exactly the document's
/// JSON (same keys, same time format), so one encode and decode maps every field, and a field
/// added to both cannot be forgotten here.
enum APIConversion {
    static func convert<Output: Decodable>(_ value: some Encodable, to type: Output.Type) throws -> Output {
        try WireFormat.makeDecoder().decode(type, from: WireFormat.makeEncoder().encode(value))
    }

    static func artifact(_ artifact: Artifact) throws -> Components.Schemas.Artifact {
        var converted = try self.convert(artifact, to: Components.Schemas.Artifact.self)
        converted.rawText = String(decoding: artifact.raw, as: UTF8.self)
        return converted
    }

    static func node(_ node: Node) throws -> Components.Schemas.Node {
        try self.convert(node, to: Components.Schemas.Node.self)
    }

    static func edge(_ edge: Edge) throws -> Components.Schemas.Edge {
        try self.convert(edge, to: Components.Schemas.Edge.self)
    }

    static func incident(_ incident: Incident) throws -> Components.Schemas.Incident {
        try self.convert(incident, to: Components.Schemas.Incident.self)
    }

    static func workUnit(_ unit: WorkUnit) throws -> Components.Schemas.WorkUnit {
        try self.convert(unit, to: Components.Schemas.WorkUnit.self)
    }

    static func observation(_ observation: Observation) throws -> Components.Schemas.Observation {
        try self.convert(observation, to: Components.Schemas.Observation.self)
    }

    static func subgraph(_ subgraph: GraphExplorer.Subgraph) throws -> Components.Schemas.Subgraph {
        Components.Schemas.Subgraph(
            nodes: try subgraph.nodes.map(self.node), edges: try subgraph.edges.map(self.edge),
            truncated: subgraph.truncated)
    }
}
