import Foundation
import Logging
import Synchronization
import Testing
import WFACore
import WFADetection
import WFAIncidents
import WFAMessaging
import WFAParsing
import WFAStorage
import WFATestSupport

/// The incident-engine role over a bus: graph events in, stored incidents and incident events out.
struct IncidentEngineTests {
    static func graphEvents(_ artifacts: [Artifact]) -> [BusMessage] {
        artifacts.map { artifact in
            BusMessage.graphEvent(
                GraphEvent(artifact: artifact, nodeIDs: artifact.entityKeys.map(Node.ID.init(entity:)), edgeIDs: []))
        }
    }

    /// The incidents that `events` announce as created.
    static func creations(_ events: [IncidentEvent]) -> Set<Incident.ID> {
        Set(events.filter { $0.kind == .created }.map(\.incident.id))
    }

    static func seededStorage() async throws -> Storage {
        let storage = Storage.inMemory()
        let report = try await RuleSeeder(rules: storage.rules).seed(
            "default",
            catalog: IncidentCorrelatorTests.fixtures.appendingPathComponent("witfoo/lead_rules_catalog.json"),
            sigmaDirectory: IncidentCorrelatorTests.fixtures.appendingPathComponent("sigma/rules"))
        #expect(report.leadRules == 261 && report.sigmaRules == 200 && report.problems.isEmpty, "\(report)")
        return storage
    }

    static func engine(_ storage: Storage, bus: any Bus = InProcessBus(), ruleRefresh: Duration = .seconds(30))
        -> IncidentEngine
    {
        IncidentEngine(
            bus: bus, rules: storage.rules, incidents: storage.incidents, graph: storage.graph,
            ruleRefresh: ruleRefresh, logger: Logger(label: "test"))
    }

    @Test(
        "a Sigma correlation keeps counting across rule refreshes when the rules did not change, and recompiles when they did"
    )
    func correlationSurvivesRefresh() async throws {
        let storage = Storage.inMemory()
        let yaml = """
            title: Failed logon
            name: failed_logon
            logsource: {product: linux, service: auth}
            detection: {sel: {action: failed_password}, condition: sel}
            ---
            title: Repeated failed logons
            correlation: {type: event_count, rules: [failed_logon], group-by: [client_ip], timespan: 1h, condition: {gte: 3}}
            level: high
            """
        try await storage.rules.save([SigmaRule(id: "burst", orgID: "default", name: "burst", yaml: yaml)])
        // Every batch checks the rules again.
        let engine = Self.engine(storage, ruleRefresh: .zero)
        var fired: [IncidentEvent] = []
        for second in 1...3 {
            let failure = IncidentCorrelatorTests.sshFailure(from: "203.0.113.5", second: second)
            fired += try await engine.process(Self.graphEvents([failure]))
        }
        #expect(fired.flatMap { $0.incident.leads.map(\.ruleName) } == ["Repeated failed logons"])

        // An edited rule is compiled anew: now two failures are enough.
        try await storage.rules.save([
            SigmaRule(
                id: "burst", orgID: "default", name: "burst",
                yaml: yaml.replacingOccurrences(of: "gte: 3", with: "gte: 2"))
        ])
        var after: [IncidentEvent] = []
        for second in 10...11 {
            let failure = IncidentCorrelatorTests.sshFailure(from: "198.51.100.7", second: second)
            after += try await engine.process(Self.graphEvents([failure]))
        }
        #expect(after.count == 1)
    }

    @Test("OpenSSH_2k through the running engine: incidents stored per attacker and announced on the bus, once")
    func endToEnd() async throws {
        let storage = try await Self.seededStorage()
        let bus = InProcessBus()
        let (_, sets) = try IncidentCorrelatorTests.catalogEngine()
        let engine = IncidentEngine(
            bus: bus, rules: storage.rules, incidents: storage.incidents, graph: storage.graph,
            configuration: .init(leadSets: sets), logger: Logger(label: "test"))
        let dispatcher = ConsumerConfiguration(name: "dispatcher")
        try await bus.declare(.incidents, consumer: dispatcher)
        try await bus.declare(.graph, consumer: IncidentEngine.consumer)
        let announced = Mutex<[IncidentEvent]>([])
        let listening = Task {
            try await bus.consume(.incidents, as: dispatcher) { messages in
                let events = try messages.map { try $0.decode(IncidentEvent.self) }
                announced.withLock { $0 += events }
            }
        }
        let running = Task { try await engine.run() }
        let artifacts = try IncidentCorrelatorTests.artifacts("demo/OpenSSH_2k.log")
        let messages = Self.graphEvents(artifacts)
        try await bus.publish(messages)
        let failures = artifacts.filter { $0.messageType == .authFailure }.count

        // A guard against a hang, not a time limit: a debug build sharing two cores with the other
        // suites needs anything from a few seconds to well over twenty for the 2,000 events.
        let deadline = ContinuousClock.now + .seconds(180)
        func leadCount() async throws -> Int {
            let page = try await storage.incidents.search(IncidentQuery(page: PageRequest(limit: 1_000)), in: "default")
            return page.items.filter { $0.mergedInto == nil }.flatMap(\.leads).filter { $0.ruleID == "catalog-233" }
                .reduce(0) { $0 + $1.count }
        }
        // The engine acknowledges a batch only after storing it, so an empty backlog means every
        // lead is stored; asking the bus is cheap, where reading the incidents back every few
        // milliseconds took CPU from the engine it waited for.
        try await bus.backlog(
            of: .graph, consumer: IncidentEngine.consumer.name, settlingAt: 0,
            timeout: deadline - ContinuousClock.now)
        // A redelivered batch (a crash before the acknowledgement) changes no counts.
        try await engine.process(Array(messages.prefix(200)))
        let incidents = try await storage.incidents.search(
            IncidentQuery(page: PageRequest(limit: 1_000)), in: "default"
        )
        .items.filter { $0.mergedInto == nil }
        // The dispatcher's consumer may still be reading the announcements.
        while Self.creations(announced.withLock { $0 }).count < incidents.count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        running.cancel()
        listening.cancel()

        #expect(try await leadCount() == failures)
        let actors = incidents.compactMap { $0.leads.first?.nodeIDs.first }
        #expect(actors.count == Set(actors).count)
        #expect(incidents.count > 10)
        #expect(Self.creations(announced.withLock { $0 }) == Set(incidents.map(\.id)))
    }

    @Test("a Sysmon event that a shipped Sigma rule detects becomes an incident with its technique and stage")
    func sigmaIncident() async throws {
        let storage = try await Self.seededStorage()
        let engine = Self.engine(storage)
        let folder = IncidentCorrelatorTests.fixtures.appendingPathComponent(
            "sigma/events/rules/windows/process_creation/proc_creation_win_certutil_download_direct_ip")
        let file = try #require(
            try FileManager.default.contentsOfDirectory(atPath: folder.path).first { $0.hasSuffix(".json") })
        var context = ParsingContext(orgID: "default", source: "test")
        let bytes = Array(try Data(contentsOf: folder.appendingPathComponent(file)))
        let artifacts = MessageSplitter.messages(in: bytes).map {
            LogParser().parse(Array($0), context: &context).artifact
        }
        let events = try await engine.process(Self.graphEvents(artifacts))
        let incident = try #require(events.first?.incident)
        #expect(incident.leads.contains { $0.ruleKind == .sigma && $0.ruleName.contains("Certutil") })
        #expect(incident.mitreTechniques.contains { $0.hasPrefix("T1") })
        #expect(incident.lifecycleStage != nil)
        #expect(try await storage.incidents.incident(incident.id, in: "default") != nil)
    }

    @Test("an analyst's status change and notes survive the next lead the engine adds")
    func keepsAnalystChanges() async throws {
        let storage = try await Self.seededStorage()
        let engine = Self.engine(storage)
        let first = IncidentCorrelatorTests.sshFailure(from: "203.0.113.5", second: 1)
        let created = try #require(try await engine.process(Self.graphEvents([first])).first?.incident)
        let analyst = User.ID("analyst")
        _ = try await storage.incidents.transition(
            created.id, in: "default", from: .new, to: .investigating, by: analyst, at: Date())
        _ = try await storage.incidents.append(
            IncidentNote(author: analyst, text: "looking"), to: created.id, in: "default")
        let second = IncidentCorrelatorTests.sshFailure(from: "203.0.113.5", second: 2)
        let updated = try #require(try await engine.process(Self.graphEvents([second])).first?.incident)
        #expect(updated.id == created.id)
        #expect(updated.status == .investigating)
        #expect(updated.notes.map(\.text) == ["looking"])
        #expect(updated.leads.reduce(0) { $0 + $1.count } > created.leads.reduce(0) { $0 + $1.count })
    }
}
