import Foundation
import Logging
import Synchronization
import Testing
import WFACore
import WFAGraph
import WFAMessaging
import WFAParsing
import WFAStorage
import WFATestSupport

/// The graph-processor between the bus and storage.
@Suite struct GraphProcessorTests {
    /// `count` sshd lines: failures from many addresses (every third from 103.99.0.122) and some logins.
    static func artifacts(_ count: Int) throws -> [Artifact] {
        var context = ParsingContext(orgID: "acme", source: "test")
        let parser = LogParser()
        return (0..<count).map { index in
            let address = index % 3 == 0 ? "103.99.0.122" : "198.51.100.\(index % 200)"
            let line =
                index % 10 == 9
                ? "Dec 10 06:55:46 LabSZ sshd[24200]: Accepted password for admin\(index % 4) from 10.0.0.\(index % 50) port \(40000 + index) ssh2"
                : "Dec 10 06:55:46 LabSZ sshd[24200]: Failed password for invalid user u\(index % 37) from \(address) port \(40000 + index) ssh2"
            return parser.parse(Array(line.utf8), context: &context).artifact
        }
    }

    @Test("artifacts from the bus are stored once, graphed, and forwarded as graph events, even when redelivered")
    func storesGraphsAndForwards() async throws {
        // A bus between processes, where a batch comes back after a crash: storage deduplicates.
        let bus = ScriptedBus(deliversWithinProcess: false)
        let storage = Storage.inMemory()
        let processor = GraphProcessor(
            bus: bus, artifacts: storage.artifacts, graph: storage.graph, projection: GraphProjection(),
            logger: Logger(label: "test"))
        let events = Mutex<[GraphEvent]>([])
        let engine = ConsumerConfiguration(name: "incident-engine")
        try await bus.declare(.graph, consumer: engine)
        try await bus.declare(.artifacts, consumer: GraphProcessor.consumer)
        let forwarded = Task {
            try await bus.consume(.graph, as: engine) { messages in
                let decoded = try messages.map { try $0.decode(GraphEvent.self) }
                events.withLock { $0 += decoded }
            }
        }
        let running = Task { try await processor.run() }

        let artifacts = try Self.artifacts(600)
        let messages = artifacts.map(BusMessage.artifact)
        try await bus.publish(messages)
        // The same batch again, as after a crash before the acknowledgement.
        try await processor.process(Array(messages.prefix(100)))

        // Generous: the suite runs tests in parallel on two cores, and the wait ends as soon as all arrive.
        let deadline = ContinuousClock.now + .seconds(90)
        while events.withLock({ Set($0.map(\.artifact.id)).count }) < 600, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        forwarded.cancel()

        let stored = try await storage.artifacts.search(
            ArtifactQuery(page: PageRequest(limit: 1_000, offset: 0)), in: "acme")
        #expect(stored.total == 600)
        #expect(Set(events.withLock { $0.map(\.artifact.id) }) == Set(artifacts.map(\.id)))
        // Each event carries its artifact exactly as it was published.
        let published = Dictionary(artifacts.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
        #expect(events.withLock { $0.allSatisfy { published[$0.artifact.id] == $0.artifact } })

        // The graph equals a recomputation from the stored artifacts.
        let audit = try await GraphAudit(artifacts: storage.artifacts, graph: storage.graph).run(in: "acme")
        #expect(audit.artifacts == 600)
        #expect(audit.isConsistent, "\(audit.mismatches)")
        #expect(audit.edges > 100)
        let attacker = try #require(
            try await storage.graph.node(Node.ID(entity: EntityKey(type: .ip, value: "103.99.0.122")), in: "acme"))
        #expect(attacker.artifactCount > 50)
        #expect(attacker.edgeCount > 0)
    }

    @Test(
        "in one process, a batch that fails after its graph was written is not graphed again, as a batch or one by one")
    func failedBatchIsNotGraphedTwice() async throws {
        // The first publish of graph events fails for a whole batch, the second for the first
        // message retried alone; that one comes back once more after its backoff.
        let bus = ScriptedBus(deliversWithinProcess: true, failingGraphPublishes: 2)
        let storage = Storage.inMemory()
        let consumer = ConsumerConfiguration(
            name: "graph-processor", batchSize: 64, maximumDeliveries: 5, backoff: [.milliseconds(10)])
        let processor = GraphProcessor(
            bus: bus, artifacts: storage.artifacts, graph: storage.graph, projection: GraphProjection(),
            consumer: consumer, logger: Logger(label: "test"))
        let engine = ConsumerConfiguration(name: "incident-engine")
        try await bus.declare(.graph, consumer: engine)
        try await bus.declare(.artifacts, consumer: consumer)
        let artifacts = try Self.artifacts(300)
        try await bus.publish(artifacts.map(BusMessage.artifact))
        let running = Task { try await processor.run() }
        try await bus.backlog(of: .artifacts, consumer: consumer.name, settlingAt: 0, timeout: .seconds(60))
        running.cancel()

        #expect(bus.failuresLeft == 0)
        #expect(try await bus.backlog(of: .artifacts, consumer: consumer.name) == 0)
        #expect(try await bus.backlog(of: .graph, consumer: engine.name) == 300)
        #expect(try await bus.deadLetterCount() == 0)
        // The in-memory store takes the processor at its word: a delta applied twice would count twice.
        let audit = try await GraphAudit(artifacts: storage.artifacts, graph: storage.graph).run(in: "acme")
        #expect(audit.artifacts == 300)
        #expect(audit.isConsistent, "\(audit.mismatches)")
    }

    @Test("a payload that is not an artifact fails and ends among the dead letters, the rest go through")
    func poisonMessage() async throws {
        let bus = InProcessBus()
        let storage = Storage.inMemory()
        let consumer = ConsumerConfiguration(
            name: "graph-processor", batchSize: 64, maximumDeliveries: 2, backoff: [.milliseconds(10)])
        let processor = GraphProcessor(
            bus: bus, artifacts: storage.artifacts, graph: storage.graph, projection: GraphProjection(),
            consumer: consumer, logger: Logger(label: "test"))
        try await bus.declare(.artifacts, consumer: consumer)
        var messages = try Self.artifacts(10).map(BusMessage.artifact)
        messages.insert(
            BusMessage(id: "bad", subject: BusTopic.artifacts.subject(for: "acme"), payload: Array("{".utf8)), at: 4)
        try await bus.publish(messages)
        let running = Task { try await processor.run() }
        var letters: [DeadLetter] = []
        let deadline = ContinuousClock.now + .seconds(60)
        while letters.isEmpty, ContinuousClock.now < deadline {
            letters = try await bus.deadLetters(limit: 5)
            try await Task.sleep(for: .milliseconds(50))
        }
        running.cancel()
        #expect(letters.map(\.message.id) == ["bad"])
        let stored = try await storage.artifacts.search(ArtifactQuery(), in: "acme")
        #expect(stored.total == 10)
    }

    @Test("the audit notices a graph that counted an artifact twice")
    func auditFindsDoubleCounts() async throws {
        let storage = Storage.inMemory()
        let artifacts = try Self.artifacts(20)
        try await storage.artifacts.append(artifacts)
        let projection = GraphProjection()
        try await storage.graph.apply(artifacts.map(projection.delta(for:)))
        let clean = try await GraphAudit(artifacts: storage.artifacts, graph: storage.graph).run(in: "acme")
        #expect(clean.isConsistent)
        // The same artifact under another delta id: what a non-idempotent writer would do.
        var again = projection.delta(for: artifacts[3])
        again.id = "not-the-artifact-id"
        try await storage.graph.apply([again])
        let report = try await GraphAudit(artifacts: storage.artifacts, graph: storage.graph).run(in: "acme")
        #expect(!report.isConsistent)
        #expect(report.mismatchCount == again.nodes.count + again.edges.count)
    }
}
