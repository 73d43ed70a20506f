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
                like DNS servers and gateways) to a uniformly random one. Runs on a scratch database (see \
                `wfa bench storage`).
                """)

        @Option(help: "Nodes in the graph.") var nodes = 1_000_000
        @Option(help: "Edges in the graph.") var edges = 5_000_000
        @Option(help: "Neighborhood queries to time.") var queries = 200
        @Option(help: "Hops per query (1-3).") var depth = 2
        @Option(help: "Most nodes per query.") var limit = 500
        @Option(help: "PostgreSQL server URL to create the scratch database on (default: a temporary private server).")
        var database: String?
        @OptionGroup var global: GlobalOptions

        static let org = Org.ID("bench")

        func validate() throws {
            guard self.nodes > 1, self.edges > 0, self.queries > 0, (1...3).contains(self.depth), self.limit > 0 else {
                throw ValidationError("--nodes > 1, --edges and --queries > 0, --depth 1...3, --limit > 0")
            }
        }

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await ScratchDatabase.with(onServer: self.database, logger: logger) { url in
                let database = try await PostgresDatabase.open(.init(url: url, maximumConnections: 4), logger: logger)
                do {
                    try await self.measure(database.storage.graph)
                } catch {
                    await database.close()
                    throw error
                }
                await database.close()
            }
        }

        private func measure(_ graph: any GraphStore) async throws {
            print("bench: building a graph of \(self.nodes) nodes and \(self.edges) edges")
            var generator = SplitMix64(seed: 42)
            let seen = Date()
            let clock = ContinuousClock()
            let began = clock.now
            let progress = ProgressLine(total: self.edges)
            let edgesPerDelta = 10
            let deltasPerBatch = 500
            var made = 0
            var deltaNumber = 0
            while made < self.edges {
                var batch: [GraphDelta] = []
                while batch.count < deltasPerBatch, made < self.edges {
                    var nodes: [NodeObservation] = []
                    var edges: [EdgeObservation] = []
                    for _ in 0..<min(edgesPerDelta, self.edges - made) {
                        let source = self.skewedNode(&generator)
                        var target = Int(generator.next() % UInt64(self.nodes))
                        if target == source { target = (target + 1) % self.nodes }
                        let sourceID = Self.node(source)
                        let targetID = Self.node(target)
                        nodes.append(
                            NodeObservation(id: sourceID, type: .ip, value: Self.address(source), seenAt: seen))
                        nodes.append(
                            NodeObservation(id: targetID, type: .ip, value: Self.address(target), seenAt: seen))
                        edges.append(
                            EdgeObservation(
                                id: Edge.ID(from: sourceID, .communicatesWith, to: targetID), sourceID: sourceID,
                                targetID: targetID, type: .communicatesWith, seenAt: seen))
                        made += 1
                    }
                    batch.append(GraphDelta(id: "bench-\(deltaNumber)", orgID: Self.org, nodes: nodes, edges: edges))
                    deltaNumber += 1
                }
                try await graph.apply(batch)
                progress.update(made)
            }
            progress.finish()
            let built = clock.now - began
            let stored = try await graph.searchNodes(NodeQuery(page: PageRequest(limit: 1)), in: Self.org).total
            print(
                "bench: built in \(Int(built.inSeconds)) s (\(Int(Double(self.edges) / built.inSeconds)) edges/s); \(stored) nodes stored"
            )

            let explorer = GraphExplorer(store: graph)
            var latencies: [Double] = []
            var sizes: [Int] = []
            var truncated = 0
            for _ in 0..<self.queries {
                let start = Self.node(Int(generator.next() % UInt64(self.nodes)))
                let queryBegan = clock.now
                let result = try await explorer.neighborhood(
                    of: start, depth: self.depth, limit: self.limit, in: Self.org)
                latencies.append((clock.now - queryBegan).inSeconds * 1_000)
                sizes.append(result?.nodes.count ?? 0)
                if result?.truncated == true { truncated += 1 }
            }
            latencies.sort()
            print("")
            print("graph:            \(stored) nodes, \(self.edges) edges")
            print(
                "queries:          \(self.queries) neighborhoods, depth \(self.depth), limit \(self.limit) (\(truncated) cut at the limit)"
            )
            print("nodes returned:   mean \(sizes.reduce(0, +) / max(1, sizes.count)), max \(sizes.max() ?? 0)")
            print(
                String(
                    format: "latency:          p50 %.1f ms, p99 %.1f ms, max %.1f ms", latencies.quantile(0.5) ?? 0,
                    latencies.quantile(0.99) ?? 0, latencies.last ?? 0))
        }

        /// Node numbers with a skew: a quarter of the edges start at the first 0.1 % of the nodes.
        private func skewedNode(_ generator: inout SplitMix64) -> Int {
            let hubs = max(1, self.nodes / 1_000)
            return generator.next() % 4 == 0
                ? Int(generator.next() % UInt64(hubs)) : Int(generator.next() % UInt64(self.nodes))
        }

        static func address(_ number: Int) -> String {
            "10.\((number >> 16) & 0xff).\((number >> 8) & 0xff).\(number & 0xff)"
        }

        static func node(_ number: Int) -> Node.ID {
            Node.ID(entity: EntityKey(type: .ip, value: self.address(number)))
        }
    }
}
