import ArgumentParser
import Foundation
import Logging
import WFACore
import WFAGraph
import WFAPostgres
import WFAStorage

extension BenchCommand {
    /// `wfa bench graph`: neighborhood query latency on a large stored graph.
    struct Graph: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Build a synthetic graph in PostgreSQL and time neighborhood queries on it (p50/p99).",
            discussion: """
                Nodes are addresses; each edge joins a node picked with a skew (a few nodes talk to many, \
                like DNS servers and gateways) to a uniformly random one, and is seen on one to three of \
                the last --days days. The graph is copied in (or, with --through-deltas, applied as the \
                pipeline would). Runs on a scratch database (see `wfa bench storage`).
                """)

        @Option(help: "Nodes in the graph.") var nodes = 1_000_000
        @Option(help: "Edges in the graph.") var edges = 5_000_000
        @Option(help: "Neighborhood queries to time.") var queries = 200
        @Option(help: "Hops per query (1-3).") var depth = 2
        @Option(help: "Most nodes per query.") var limit = 500
        @Option(help: "Days the edges are spread over (each edge is seen on one to three of them).") var days = 7
        @Flag(help: "Build the graph through GraphStore.apply, as the pipeline does, instead of with COPY (slow).")
        var throughDeltas = false
        @Option(help: "PostgreSQL server URL to create the scratch database on (default: a temporary private server).")
        var database: String?
        @Flag(help: "Keep the scratch database (needs --database) and print its URL, for more runs with --graph.")
        var keep = false
        @Option(
            help:
                "Time the queries on the graph a --keep run left at this database URL (same --nodes) instead of building one."
        )
        var graph: String?
        @OptionGroup var global: GlobalOptions

        static let org = Org.ID("bench")

        func validate() throws {
            guard self.nodes > 1, self.edges > 0, self.days > 0, self.queries > 0, (1...3).contains(self.depth),
                self.limit > 0
            else {
                throw ValidationError("--nodes > 1, --edges, --days and --queries > 0, --depth 1...3, --limit > 0")
            }
            if self.keep, self.database == nil { throw ValidationError("--keep needs --database") }
        }

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            if let graph = self.graph {
                try await self.measure(at: graph, building: false, logger: logger)
                return
            }
            try await ScratchDatabase.with(onServer: self.database, keeping: self.keep, logger: logger) { url in
                try await self.measure(at: url, building: true, logger: logger)
            }
        }

        private func measure(at url: String, building: Bool, logger: Logger) async throws {
            let database = try await PostgresDatabase.open(.init(url: url, maximumConnections: 4), logger: logger)
            do {
                try await self.measure(database, building: building)
            } catch {
                await database.close()
                throw error
            }
            await database.close()
        }

        private func build(_ database: PostgresDatabase) async throws -> SyntheticGraph {
            print(
                "bench: building a graph of \(self.nodes) nodes and \(self.edges) edges over \(self.days) days"
                    + (self.throughDeltas ? " through GraphStore.apply" : " with COPY"))
            var graph = SyntheticGraph(
                org: Self.org, nodes: self.nodes, edges: self.edges, days: self.days, now: Date())
            let clock = ContinuousClock()
            let began = clock.now
            let progress = ProgressLine(total: self.edges)
            var deltaNumber = 0
            while graph.edgesMade < self.edges {
                let edgeDays = graph.nextEdgeDays(self.throughDeltas ? 5_000 : 100_000)
                if self.throughDeltas {
                    // Ten edge-days per delta, each with the observations of both its ends.
                    var batch: [GraphDelta] = []
                    for start in stride(from: 0, to: edgeDays.count, by: 10) {
                        let slice = edgeDays[start..<min(start + 10, edgeDays.count)]
                        batch.append(
                            GraphDelta(
                                id: "bench-\(deltaNumber)", orgID: Self.org,
                                nodes: slice.flatMap { edge in
                                    [edge.sourceID, edge.targetID].map {
                                        NodeObservation(
                                            id: $0, type: .ip, value: String($0.rawValue.dropFirst(3)),
                                            seenAt: edge.lastSeen, artifactCount: edge.artifactCount)
                                    }
                                },
                                edges: slice.map {
                                    EdgeObservation(
                                        id: $0.id, sourceID: $0.sourceID, targetID: $0.targetID, type: $0.type,
                                        seenAt: $0.lastSeen, artifactCount: $0.artifactCount, bytes: $0.bytes)
                                }))
                        deltaNumber += 1
                    }
                    try await database.storage.graph.apply(batch)
                } else {
                    try await database.bulkLoad(edgeDays: edgeDays)
                }
                progress.update(graph.edgesMade)
            }
            if !self.throughDeltas {
                for start in stride(from: 0, to: self.nodes, by: 100_000) {
                    try await database.bulkLoad(nodes: graph.nodes(start..<min(start + 100_000, self.nodes)))
                }
            }
            progress.finish()
            try await database.analyzeGraph()
            let built = clock.now - began
            print("bench: built in \(Int(built.inSeconds)) s (\(Int(Double(self.edges) / built.inSeconds)) edges/s)")
            return graph
        }

        private func measure(_ database: PostgresDatabase, building: Bool) async throws {
            var synthetic =
                building
                ? try await self.build(database)
                : SyntheticGraph(org: Self.org, nodes: self.nodes, edges: 0, days: self.days, now: Date())
            let graph = database.storage.graph
            let stored = try await graph.searchNodes(NodeQuery(page: PageRequest(limit: 1)), in: Self.org).total
            let clock = ContinuousClock()
            let explorer = GraphExplorer(store: graph)
            var latencies: [Double] = []
            var sizes: [Int] = []
            var truncated = 0
            for _ in 0..<self.queries {
                let start = SyntheticGraph.node(synthetic.uniformNode())
                let queryBegan = clock.now
                let result = try await explorer.neighborhood(
                    of: start, depth: self.depth, limit: self.limit, in: Self.org)
                latencies.append((clock.now - queryBegan).inSeconds * 1_000)
                sizes.append(result?.nodes.count ?? 0)
                if result?.truncated == true { truncated += 1 }
            }
            latencies.sort()
            print("")
            print("graph:            \(stored) nodes, \(building ? "\(self.edges)" : "(kept)") edges")
            print(
                "queries:          \(self.queries) neighborhoods, depth \(self.depth), limit \(self.limit) (\(truncated) cut at the limit)"
            )
            print("nodes returned:   mean \(sizes.reduce(0, +) / max(1, sizes.count)), max \(sizes.max() ?? 0)")
            print(
                String(
                    format: "latency:          p50 %.1f ms, p99 %.1f ms, max %.1f ms", latencies.quantile(0.5) ?? 0,
                    latencies.quantile(0.99) ?? 0, latencies.last ?? 0))
        }
    }
}
