import Foundation
import Synchronization
import Testing
import WFACore
import WFAMessaging
import WFATestSupport

/// The delivery rules every bus keeps: the in-process bus and NATS JetStream pass the same suite.
@Suite struct BusTests {
    @Test("every published message reaches a durable consumer once, in batches", arguments: BusKind.allCases)
    func deliversEveryMessage(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(name: "graph", batchSize: 100)
            try await bus.declare(.artifacts, consumer: configuration)
            let sent = BusHarness.messages(500)
            try await bus.publish(sent)
            let received = Received()
            let consumer = RunningConsumer(bus, configuration) {
                await received.add($0)
            }
            let messages = try await received.waitFor(500)
            await consumer.stop()
            #expect(messages.map(\.id).sorted() == sent.map(\.id).sorted())
            #expect(messages.first?.payload == Array("payload 0".utf8))
            #expect(messages.first?.subject == "wfa.artifacts.org-1")
            #expect(await received.batches < 500)
        }
    }

    @Test("a message id published again is stored once", arguments: BusKind.allCases)
    func deduplicatesByID(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            try await bus.declare(.artifacts, consumer: ConsumerConfiguration(name: "graph"))
            let sent = BusHarness.messages(20)
            try await bus.publish(sent)
            try await bus.publish(Array(sent[5..<15]))
            try await bus.publish(BusHarness.messages(1, prefix: "last"))
            let received = Received()
            let consumer = RunningConsumer(bus, ConsumerConfiguration(name: "graph")) { await received.add($0) }
            _ = try await received.waitFor(21)
            try await Task.sleep(for: .milliseconds(300))
            await consumer.stop()
            let ids = await received.ids
            #expect(ids.count == 21)
            #expect(Set(ids).count == 21)
        }
    }

    @Test(
        "a failing message is retried alone, with backoff, while the rest of its batch is acknowledged",
        arguments: BusKind.allCases)
    func retriesFailures(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(
                name: "graph", batchSize: 10, maximumDeliveries: 5, backoff: [.milliseconds(50)])
            try await bus.declare(.artifacts, consumer: configuration)
            try await bus.publish(BusHarness.messages(10))
            let attempts = Mutex<[String: Int]>([:])
            let received = Received()
            let consumer = RunningConsumer(bus, configuration) { batch in
                if batch.contains(where: { $0.id == "m3" }) {
                    let attempt = attempts.withLock {
                        $0["m3", default: 0] += 1; return $0["m3", default: 0]
                    }
                    // Fails as part of the batch and alone twice; succeeds on its third own delivery.
                    if batch.count > 1 || attempt < 4 { throw InjectedFailure(description: "store unavailable") }
                }
                await received.add(batch)
            }
            // Redeliveries run on timers; with the whole suite's CPU-bound tests sharing the two
            // cooperative threads, those can fire many seconds late, so the wait is generous.
            let messages = try await received.waitFor(10, timeout: .seconds(90))
            await consumer.stop()
            #expect(messages.map(\.id).sorted() == BusHarness.messages(10).map(\.id).sorted())
            #expect(messages.last?.id == "m3")
            #expect(try await bus.deadLetters(limit: 10).isEmpty)
        }
    }

    @Test(
        "a message that always fails becomes a dead letter with its reason, and a replay delivers it again",
        arguments: BusKind.allCases)
    func deadLettersAndReplay(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(
                name: "graph", batchSize: 3, maximumDeliveries: 3, backoff: [.milliseconds(20)])
            try await bus.declare(.artifacts, consumer: configuration)
            try await bus.publish(BusHarness.messages(3))
            let poisoned = Mutex(true)
            let received = Received()
            let consumer = RunningConsumer(bus, configuration) { batch in
                if poisoned.withLock({ $0 }), batch.contains(where: { $0.id == "m1" }) {
                    throw InjectedFailure(description: "cannot parse m1")
                }
                await received.add(batch)
            }
            _ = try await received.waitFor(2)
            var letters: [DeadLetter] = []
            let deadline = ContinuousClock.now + .seconds(15)
            while letters.isEmpty, ContinuousClock.now < deadline {
                letters = try await bus.deadLetters(limit: 10)
                try await Task.sleep(for: .milliseconds(50))
            }
            let letter = try #require(letters.first)
            #expect(letters.count == 1)
            #expect(try await bus.deadLetterCount() == 1)
            #expect(letter.message.id == "m1")
            #expect(letter.message.subject == "wfa.artifacts.org-1")
            #expect(letter.message.payload == Array("payload 1".utf8))
            #expect(letter.consumer == "graph")
            #expect(letter.reason == "cannot parse m1")
            #expect(letter.deliveries == 3)
            #expect(await received.ids.sorted() == ["m0", "m2"])

            poisoned.withLock { $0 = false }
            #expect(try await bus.replayDeadLetter(letter.sequence))
            #expect(try await bus.replayDeadLetter(letter.sequence) == false)
            let after = try await received.waitFor(3)
            await consumer.stop()
            #expect(after.map(\.id).sorted() == ["m0", "m1", "m2"])
            #expect(try await bus.deadLetters(limit: 10).isEmpty)
        }
    }

    @Test("a durable consumer that restarts continues where it stopped", arguments: BusKind.allCases)
    func durableConsumerResumes(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(name: "graph", batchSize: 10)
            try await bus.declare(.artifacts, consumer: configuration)
            try await bus.publish(BusHarness.messages(50))
            let first = Received()
            let consumer = RunningConsumer(bus, configuration) { await first.add($0) }
            _ = try await first.waitFor(50)
            await consumer.stop()

            try await bus.publish(BusHarness.messages(30, prefix: "n"))
            #expect(try await bus.backlog(of: .artifacts, consumer: "graph", settlingAt: 30) == 30)
            let second = Received()
            let restarted = RunningConsumer(bus, configuration) { await second.add($0) }
            let messages = try await second.waitFor(30)
            try await Task.sleep(for: .milliseconds(300))
            await restarted.stop()
            #expect(messages.map(\.id).sorted() == BusHarness.messages(30, prefix: "n").map(\.id).sorted())
            #expect(await second.ids.count == 30)
            #expect(try await bus.backlog(of: .artifacts, consumer: "graph", settlingAt: 0) == 0)
        }
    }

    @Test("a consumer stopped while it handles a batch still acknowledges that batch", arguments: BusKind.allCases)
    func stoppingSettlesTheHandledBatch(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(name: "graph", batchSize: 10)
            try await bus.declare(.artifacts, consumer: configuration)
            try await bus.publish(BusHarness.messages(10))
            let received = Received()
            let consumer = RunningConsumer(bus, configuration) { batch in
                await received.add(batch)
                // The stop lands after the work is done and before the batch is acknowledged.
                withUnsafeCurrentTask { $0?.cancel() }
            }
            _ = try await received.waitFor(10)
            await consumer.stop()
            // Well inside the 30 s acknowledgement wait, after which an unacknowledged batch would
            // also leave the backlog, by coming back.
            #expect(
                try await bus.backlog(of: .artifacts, consumer: "graph", settlingAt: 0, timeout: .seconds(10)) == 0)
            #expect(await received.ids.count == 10)
        }
    }

    @Test("two declared consumers with different names each see every message", arguments: BusKind.allCases)
    func independentConsumers(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            try await bus.declare(.incidents, consumer: ConsumerConfiguration(name: "dispatcher"))
            try await bus.declare(.incidents, consumer: ConsumerConfiguration(name: "notifier"))
            try await bus.publish(BusHarness.messages(40, topic: .incidents))
            #expect(try await bus.backlog(of: .incidents, consumer: "notifier") == 40)
            let dispatcher = Received()
            let notifier = Received()
            let first = RunningConsumer(bus, .incidents, ConsumerConfiguration(name: "dispatcher")) {
                await dispatcher.add($0)
            }
            let second = RunningConsumer(bus, .incidents, ConsumerConfiguration(name: "notifier")) {
                await notifier.add($0)
            }
            #expect(try await dispatcher.waitFor(40).count == 40)
            #expect(try await notifier.waitFor(40).count == 40)
            await first.stop()
            await second.stop()
        }
    }

    @Test(
        "a consumer that starts with new messages skips what the topic held before it was declared",
        arguments: BusKind.allCases)
    func startsWithNewMessages(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            try await bus.declare(.incidents, consumer: ConsumerConfiguration(name: "notifier"))
            try await bus.publish(BusHarness.messages(10, topic: .incidents, prefix: "old"))
            let live = ConsumerConfiguration(
                name: "dispatcher-a1", startsWithNewMessages: true, inactiveThreshold: .seconds(3_600))
            try await bus.declare(.incidents, consumer: live)
            try await bus.publish(BusHarness.messages(5, topic: .incidents, prefix: "new"))
            let received = Received()
            let consumer = RunningConsumer(bus, .incidents, live) { await received.add($0) }
            let ids = try await received.waitFor(5).map(\.id)
            #expect(ids.allSatisfy { $0.hasPrefix("new") }, "\(ids)")
            #expect(try await bus.backlog(of: .incidents, consumer: "notifier") == 15, "the other consumer keeps all")
            await consumer.stop()
        }
    }

    @Test("the in-process bus keeps nothing on a topic no consumer was declared for")
    func inProcessDropsUndeclared() async throws {
        let bus = InProcessBus()
        try await bus.publish(BusHarness.messages(10, topic: .graph))
        #expect(try await bus.backlog(of: .graph, consumer: "incident-engine") == 0)
    }

    @Test("a subject outside wfa.<topic>.<org> is refused", arguments: BusKind.allCases)
    func refusesForeignSubjects(kind: BusKind) async throws {
        _ = try await BusHarness.withBus(kind) { bus, _ in
            await #expect(throws: BusError.self) {
                try await bus.publish([BusMessage(id: "x", subject: "other.subject", payload: [])])
            }
        }
    }

    static let artifact: Artifact = {
        var artifact = Artifact(
            id: "a-1", orgID: "org-1", timestamp: EpochMicroseconds.date(1_795_219_200_123_456),
            receivedAt: EpochMicroseconds.date(1_795_219_201_000_000), source: "syslog:10.0.0.1",
            streamName: "auth", messageType: "auth_failure", severityCode: .high,
            raw: Array("Failed password for \"root\" é".utf8) + [0xff, 0xfe])
        artifact.clientIP = IPAddress("203.0.113.7")
        artifact.clientPort = 50_022
        artifact.userName = "root"
        artifact.fields = ["pid": "4242"]
        return artifact
    }()

    @Test(
        "an artifact reaches its consumer whole: as its value in one process, as its document over NATS",
        arguments: BusKind.allCases)
    func carriesArtifacts(kind: BusKind) async throws {
        try await BusHarness.withBus(kind) { bus, _ in
            let configuration = ConsumerConfiguration(name: "graph")
            try await bus.declare(.artifacts, consumer: configuration)
            try await bus.publish([.artifact(Self.artifact)])
            let received = Received()
            let consumer = RunningConsumer(bus, configuration) { await received.add($0) }
            let messages = try await received.waitFor(1)
            await consumer.stop()
            #expect(try messages.first?.decode(Artifact.self) == Self.artifact)
            #expect(messages.first?.payload == WireFormat.encode(Self.artifact))
        }
    }

    @Test("a graph event is the same message whether its artifact came as a value or as a document")
    func graphEventFromEitherForm() throws {
        let valued = BusMessage.artifact(Self.artifact)
        let document = BusMessage(id: valued.id, subject: valued.subject, payload: WireFormat.encode(Self.artifact))
        #expect(valued == document)
        let nodes = [Node.ID("n-1"), Node.ID("n-2")]
        let edges = [Edge.ID("e-1")]
        let fromValue = BusMessage.graphEvent(
            artifactMessage: valued, artifact: Self.artifact, nodeIDs: nodes, edgeIDs: edges)
        let fromDocument = BusMessage.graphEvent(
            artifactMessage: document, artifact: Self.artifact, nodeIDs: nodes, edgeIDs: edges)
        #expect(fromValue == fromDocument)
        #expect(fromValue.subject == "wfa.graph.org-1")
        let expected = GraphEvent(artifact: Self.artifact, nodeIDs: nodes, edgeIDs: edges)
        #expect(try fromValue.decode(GraphEvent.self) == expected)
        #expect(try fromDocument.decode(GraphEvent.self) == expected)
        #expect(try WireFormat.makeDecoder().decode(GraphEvent.self, from: Data(fromValue.payload)) == expected)
    }

    @Test(
        "an incident event carries the event, its bytes are the wire format's, and one JSON cannot hold is refused at once"
    )
    func incidentEvents() throws {
        let start = EpochMicroseconds.date(1_795_219_200_000_000)
        var incident = Incident(
            orgID: "org-1", title: "Brute force", severity: .high, firstObservedAt: start, lastObservedAt: start,
            createdAt: start)
        let event = IncidentEvent(kind: .created, incident: incident)
        let message = try BusMessage.incidentEvent(event)
        #expect(message.carriedValue(IncidentEvent.self) == event)
        #expect(message.payload == WireFormat.encode(event))
        #expect(message.subject == "wfa.incidents.org-1")
        let received = BusMessage(id: message.id, subject: message.subject, payload: message.payload)
        #expect(received.carriedValue(IncidentEvent.self) == nil)
        #expect(try received.decode(IncidentEvent.self) == event)
        incident.suspicionScore = .infinity
        #expect(throws: EncodingError.self) {
            try BusMessage.incidentEvent(IncidentEvent(kind: .created, incident: incident))
        }
    }

    @Test("an org id becomes one subject token")
    func subjectTokens() {
        #expect(BusTopic.artifacts.subject(for: "acme.corp west") == "wfa.artifacts.acme_corp_west")
        #expect(BusTopic.graph.subject(for: "") == "wfa.graph._")
        #expect(BusTopic.graph.subject(for: "Acme-01_x") == "wfa.graph.Acme-01_x")
        #expect(BusTopic.graph.subject(for: "café") == "wfa.graph.caf_")
        #expect(BusTopic.incidents.wildcard == "wfa.incidents.>")
        #expect(BusTopic.artifacts.streamName == "WFA_ARTIFACTS")
        #expect(BusTopic(subject: "wfa.graph.acme") == .graph)
        #expect(BusTopic(subject: "wfa.graph") == nil)
        #expect(BusTopic(subject: "other.graph.acme") == nil)
        #expect(BusTopic(subject: "wfa..acme") == nil)
        #expect(BusTopic(subject: "wfa.graph.") == .graph)
        #expect(BusTopic(subject: "wfax.graph.acme") == nil)
    }
}
