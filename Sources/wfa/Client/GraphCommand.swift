import ArgumentParser
import Foundation
import WFAClient

/// `wfa graph ...`: the knowledge graph from the command line.
struct GraphCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "graph",
        abstract: "Explore the knowledge graph: nodes, edges, neighborhoods and paths.",
        discussion: "Nodes are named type:value, e.g. ip:10.0.0.5, host:web01, user:alice.",
        subcommands: [Nodes.self, Node.self, SetFlags.self, Edges.self, Edge.self, Neighborhood.self, Path.self])

    static func showNodes(_ nodes: [Components.Schemas.Node], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(nodes) }
        ClientOutput.printTable(
            ["ID", "FLAGS", "ARTIFACTS", "EDGES", "LAST SEEN"],
            nodes.map {
                [$0.id, self.flags($0.flags), "\($0.artifactCount)", "\($0.edgeCount)", self.time($0.lastSeen)]
            })
    }

    static func showEdges(_ edges: [Components.Schemas.Edge], as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(edges) }
        ClientOutput.printTable(
            ["SOURCE", "TYPE", "TARGET", "ARTIFACTS", "BYTES", "LAST SEEN"],
            edges.map {
                [$0.sourceId, $0._type, $0.targetId, "\($0.artifactCount)", "\($0.bytes)", self.time($0.lastSeen)]
            })
    }

    static func showSubgraph(_ subgraph: Components.Schemas.Subgraph, as format: ClientOptions.OutputFormat) throws {
        if format == .json { return try ClientOutput.printJSON(subgraph) }
        try self.showNodes(subgraph.nodes, as: format)
        print("")
        try self.showEdges(subgraph.edges, as: format)
        if subgraph.truncated { print("(cut at the node limit; raise --limit to see more)") }
    }

    static func flags(_ flags: Components.Schemas.NodeFlags) -> String {
        [
            flags.managed ? "managed" : nil, flags._internal ? "internal" : nil, flags.trusted ? "trusted" : nil,
            flags.infrastructure ? "infrastructure" : nil,
        ].compactMap { $0 }.joined(separator: ",")
    }

    static func time(_ date: Date) -> String {
        date.formatted(.iso8601.year().month().day().time(includingFractionalSeconds: false))
    }

    static func endpoint(_ address: String?, _ port: Int?) -> String {
        guard let address else { return "" }
        return port.map { "\(address):\($0)" } ?? address
    }

    /// `30m`, `24h`, `7d` (or plain seconds) in seconds.
    static func seconds(in text: String) throws -> TimeInterval {
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]
        let unit = text.last.flatMap { units[$0] }
        guard let amount = Double(unit == nil ? text : String(text.dropLast())), amount > 0 else {
            throw ValidationError("'\(text)' is not a period like 30m, 24h or 7d")
        }
        return amount * (unit ?? 1)
    }

    struct Nodes: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List nodes by type and value.", discussion: "Example: wfa graph nodes --type ip --prefix 10.1.")
        @Option(help: "ip, host, domain, user, email, hash, url or file.") var type: String?
        @Option(help: "Values starting with this.") var prefix: String?
        @Option(help: "Flags every node must have, comma-separated: managed, internal, trusted, infrastructure.")
        var flags: String?
        @Option(help: "Page size (1-1000).") var limit = 50
        @Option(help: "Nodes to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = Operations.ListNodes.Input.Query(
                _type: self.type, prefix: self.prefix, flags: self.flags, limit: self.limit, offset: self.offset)
            switch try await self.client.client().listNodes(query: query) {
            case .ok(let ok):
                let page = try ok.body.json.data
                try GraphCommand.showNodes(page.items, as: self.client.output)
                if self.client.output == .table { print("(\(page.items.count) of \(page.total))") }
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Node: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one node.")
        @Argument(help: "Node id, type:value.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getNode(path: .init(id: self.id)) {
            case .ok(let ok): try GraphCommand.showNodes([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct SetFlags: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "flag",
            abstract: "Set a node's flags (the ones not given are cleared).",
            discussion: "Example: wfa graph flag ip:10.0.0.53 --infrastructure --internal")
        @Argument(help: "Node id, type:value.") var id: String
        @Flag(help: "On the org's asset list.") var managed = false
        @Flag(help: "Inside the org's networks.") var `internal` = false
        @Flag(help: "Known good.") var trusted = false
        @Flag(help: "Talks to everything (DNS, gateway, scanner).") var infrastructure = false
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let flags = Components.Schemas.NodeFlags(
                managed: self.managed, _internal: self.internal, trusted: self.trusted,
                infrastructure: self.infrastructure)
            switch try await self.client.client().setNodeFlags(path: .init(id: self.id), body: .json(flags)) {
            case .ok(let ok): try GraphCommand.showNodes([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Edges: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the edges of a node, most recent first.")
        @Argument(help: "Node id, type:value.") var node: String
        @Option(help: "outgoing, incoming or both.") var direction = "both"
        @Option(help: "Edge type, e.g. communicates_with.") var type: String?
        @Option(help: "Page size (1-1000).") var limit = 50
        @Option(help: "Edges to skip.") var offset = 0
        @OptionGroup var client: ClientOptions

        func run() async throws {
            guard let direction = Operations.ListEdges.Input.Query.DirectionPayload(rawValue: self.direction) else {
                throw ValidationError("--direction must be outgoing, incoming or both")
            }
            let query = Operations.ListEdges.Input.Query(
                node: self.node, direction: direction, _type: self.type, limit: self.limit, offset: self.offset)
            switch try await self.client.client().listEdges(query: query) {
            case .ok(let ok):
                let page = try ok.body.json.data
                try GraphCommand.showEdges(page.items, as: self.client.output)
                if self.client.output == .table { print("(\(page.items.count) of \(page.total))") }
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Edge: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one edge by id.")
        @Argument(help: "Edge id, as `wfa graph edges --output json` prints it.") var id: String
        @OptionGroup var client: ClientOptions

        func run() async throws {
            switch try await self.client.client().getEdge(path: .init(id: self.id)) {
            case .ok(let ok): try GraphCommand.showEdges([try ok.body.json.data], as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Neighborhood: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "The nodes and edges around a node.")
        @Argument(help: "Node id, type:value.") var node: String
        @Option(help: "Hops, 1-3.") var depth = 1
        @Option(help: "Most nodes, 1-5000.") var limit = 500
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = Operations.GetNeighborhood.Input.Query(node: self.node, depth: self.depth, limit: self.limit)
            switch try await self.client.client().getNeighborhood(query: query) {
            case .ok(let ok): try GraphCommand.showSubgraph(try ok.body.json.data, as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }

    struct Path: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "A shortest path between two nodes.")
        @Argument(help: "From node, type:value.") var from: String
        @Argument(help: "To node, type:value.") var to: String
        @Option(help: "Longest path searched, in edges (1-6).") var maxDepth = 4
        @OptionGroup var client: ClientOptions

        func run() async throws {
            let query = Operations.GetPath.Input.Query(from: self.from, to: self.to, maxDepth: self.maxDepth)
            switch try await self.client.client().getPath(query: query) {
            case .ok(let ok): try GraphCommand.showSubgraph(try ok.body.json.data, as: self.client.output)
            case let other: throw ClientOutput.failure(other)
            }
        }
    }
}
