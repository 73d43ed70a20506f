import Foundation
import Logging
import Testing
import WFACore
import WFAGraph
import WFAMessaging
import WFAParsing
import WFAStorage
import WFATestSupport

@testable import WFAPostgres

/// The graph-processor over the in-process bus, on PostgreSQL: what `wfa serve` runs in one process.
@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresPipelineTests {
    @Test(
        "in one process the graph matches the stored artifacts, with no ledger row, though a batch failed after its graph write"
    )
    func inProcessGraphWithoutLedger() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let storage = database.storage
            // The first publish of graph events fails: that batch comes back after its graph write.
            let bus = ScriptedBus(deliversWithinProcess: true, failingGraphPublishes: 1)
            let consumer = ConsumerConfiguration(
                name: "graph-processor", batchSize: 128, maximumDeliveries: 5, backoff: [.milliseconds(10)])
            try await bus.declare(.artifacts, consumer: consumer)
            try await bus.declare(.graph, consumer: ConsumerConfiguration(name: "incident-engine"))
            let processor = GraphProcessor(
                bus: bus, artifacts: storage.artifacts, graph: storage.graph, projection: GraphProjection(),
                consumer: consumer, logger: TestDatabase.logger)
            var context = ParsingContext(orgID: "acme", source: "test")
            let parser = LogParser()
            let artifacts = (0..<1_000).map { index in
                let line =
                    "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user u\(index % 23) "
                    + "from 198.51.100.\(index % 97) port \(40000 + index) ssh2"
                return parser.parse(Array(line.utf8), context: &context).artifact
            }
            try await bus.publish(artifacts.map(BusMessage.artifact))
            let running = Task { try await processor.run() }
            try await bus.backlog(of: .artifacts, consumer: consumer.name, settlingAt: 0, timeout: .seconds(60))
            running.cancel()

            #expect(bus.failuresLeft == 0)
            let audit = try await GraphAudit(artifacts: storage.artifacts, graph: storage.graph).run(in: "acme")
            #expect(audit.artifacts == 1_000)
            #expect(audit.isConsistent, "\(audit.mismatches.prefix(5))")
            let ledger = try await database.pool.withConnection { connection in
                try connection.query("SELECT count(*) FROM graph_deltas").integer()
            }
            #expect(ledger == 0)
        }
    }
}
