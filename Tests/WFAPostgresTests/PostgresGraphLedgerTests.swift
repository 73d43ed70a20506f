import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresGraphLedgerTests {
    @Test("only deltas that change the graph take a ledger row, and each applies once")
    func ledgerHoldsOnlyDeltasWithContent() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let org = Org.ID.random()
            let empty = GraphDelta(id: "nothing", orgID: org, nodes: [], edges: [])
            let named = TestGraph.communication("named", org: org, from: "10.0.0.1", to: "10.0.0.2", at: Date())
            try await database.storage.graph.apply([empty, named])
            try await database.storage.graph.apply([empty, named])
            let ledger = try await database.pool.withConnection { connection in
                try connection.query("SELECT id FROM graph_deltas ORDER BY id").rows.compactMap { $0.first ?? nil }
            }
            #expect(ledger == ["named"])
            #expect(try await database.storage.graph.node("ip:10.0.0.1", in: org)?.artifactCount == 1)
        }
    }
}
