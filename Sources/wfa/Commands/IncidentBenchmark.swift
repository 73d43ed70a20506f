import ArgumentParser
import Foundation
import Logging
import Synchronization
import WFACore
import WFADetection
import WFAIncidents
import WFAMessaging
import WFAParsing
import WFAPostgres
import WFAStorage

extension BenchCommand {
    /// `wfa bench incidents`: event-to-incident latency with the shipped rules loaded.
    struct Incidents: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Feed graph events to the incident engine at a fixed rate; report event-to-incident latency.",
            discussion: """
                Loads the lead-rule catalog and the shipped Sigma rules into a scratch database (see \
                `wfa bench storage`), then publishes graph events on the in-process bus at --rate for \
                --seconds: Sigma regression events and sshd failures from many addresses (about one in \
                --firing-every events fires a rule), the rest firewall and sshd noise that fires nothing. \
                For every event that fires a rule, latency runs from its publication until its incident \
                is stored in PostgreSQL and announced on the bus.
                """)

        @Option(help: "Events per second.") var rate = 5_000
        @Option(help: "Seconds to send.") var seconds = 20
        @Option(help: "One event in this many fires a rule.") var firingEvery = 10
        @Option(help: "Browsers connected to /ws during the run (one of them never reads); 0 for none.")
        var liveClients = 0
        @Flag(
            help: """
                Run the --live-clients in a child process in the idle scheduling class, standing in for \
                browsers on other machines (the server's side of each delivery stays in this process).
                """)
        var separateClients = false
        @Option(help: "PostgreSQL server URL to create the scratch database on (default: a temporary private server).")
        var database: String?
        @OptionGroup var detection: DetectionOptions
        @OptionGroup var global: GlobalOptions

        static let org = Org.ID("bench")

        func validate() throws {
            guard self.rate > 0, self.seconds > 0, self.firingEvery > 0, self.liveClients >= 0 else {
                throw ValidationError(
                    "--rate, --seconds and --firing-every must be positive, --live-clients not negative")
            }
            guard !self.separateClients || self.liveClients > 0 else {
                throw ValidationError("--separate-clients needs --live-clients")
            }
        }

        func run() async throws {
            let logger = try self.global.bootstrapLogging()
            try await ScratchDatabase.with(onServer: self.database, logger: logger) { url in
                let database = try await PostgresDatabase.open(.init(url: url), logger: logger)
                do {
                    try await self.measure(database.storage, logger: logger)
                } catch {
                    await database.close()
                    throw error
                }
                await database.close()
            }
        }

        private func measure(_ storage: WFAStorage.Storage, logger: Logger) async throws {
            let report = try await RuleSeeder(rules: storage.rules).seed(
                Self.org, catalog: URL(fileURLWithPath: self.detection.leadCatalog),
                sigmaDirectory: URL(fileURLWithPath: self.detection.sigmaRules))
            // Compiled once; each use below works on its own copy (evaluation keeps correlation state).
            let rules = DetectionEngine(
                leadRules: try await Page.all { try await storage.rules.rules(LeadRule.self, in: Self.org, page: $0) },
                sigmaRules: try await Page.all { try await storage.rules.rules(SigmaRule.self, in: Self.org, page: $0) }
            )
            let (firing, quiet) = try self.templates(sortedBy: rules)
            print(
                "bench: \(report.leadRules) lead rules and \(report.sigmaRules) Sigma rules loaded; "
                    + "\(firing.count) firing and \(quiet.count) quiet event templates")

            self.measureDetection(rules, firing: firing, quiet: quiet)

            let bus = InProcessBus()
            try await bus.declare(.graph, consumer: IncidentEngine.consumer)
            var live: LiveClients?
            if self.liveClients > 0 {
                live = try await LiveClients.start(
                    count: self.liveClients, separately: self.separateClients, bus: bus, org: Self.org, logger: logger)
                print(
                    "bench: \(self.liveClients) WebSocket clients connected to /ws (one never reads)"
                        + (self.separateClients
                            ? ", in a child process in the idle scheduling class" : ", in this process"))
            }
            let engine = IncidentEngine(
                bus: bus, rules: storage.rules, incidents: storage.incidents, graph: storage.graph,
                configuration: try self.detection.correlation(leadSets: try self.detection.leadSets()), logger: logger)
            let published = Mutex<[Artifact.ID: ContinuousClock.Instant]>([:])
            let latencies = Mutex<[Duration]>([])
            let processed = Mutex(0)
            let consuming = Task {
                try await bus.consume(.graph, as: IncidentEngine.consumer) { messages in
                    try await engine.process(messages)
                    let done = ContinuousClock.now
                    let ids = messages.map { Artifact.ID($0.id) }
                    let measured = published.withLock { started in ids.compactMap { started.removeValue(forKey: $0) } }
                    latencies.withLock { $0 += measured.map { done - $0 } }
                    processed.withLock { $0 += messages.count }
                }
            }

            let total = self.rate * self.seconds
            let tick = Duration.milliseconds(10)
            let perTick = max(1, self.rate / 100)
            let start = ContinuousClock.now
            var sent = 0
            var firingSent = 0
            print("bench: sending \(total) events at \(self.rate)/s")
            while sent < total {
                var batch: [BusMessage] = []
                var firingIDs: [Artifact.ID] = []
                let now = Date()
                for _ in 0..<min(perTick, total - sent) {
                    let fires = sent % self.firingEvery == 0
                    var artifact =
                        fires ? firing[firingSent % firing.count] : quiet[sent % quiet.count]
                    artifact.id = .random()
                    artifact.timestamp = now
                    artifact.receivedAt = now
                    if fires {
                        // A new attacker every 50 firing events: new incidents as well as extended ones.
                        if artifact.messageType == .authFailure {
                            artifact.clientIP = IPAddress(
                                "198.51.\(firingSent / 50 % 256).\(firingSent / 12_800 % 254 + 1)")
                        }
                        firingIDs.append(artifact.id)
                        firingSent += 1
                    }
                    batch.append(
                        BusMessage.graphEvent(
                            GraphEvent(
                                artifact: artifact, nodeIDs: artifact.entityKeys.map(Node.ID.init(entity:)), edgeIDs: []
                            )))
                    sent += 1
                }
                let stamp = ContinuousClock.now
                published.withLock { started in for id in firingIDs { started[id] = stamp } }
                try await bus.publish(batch)
                let next = start + tick * (sent / perTick)
                if next > ContinuousClock.now { try await Task.sleep(until: next) }
            }
            let sendTime = ContinuousClock.now - start
            let deadline = ContinuousClock.now + .seconds(60)
            while processed.withLock({ $0 }) < total, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            consuming.cancel()

            let sorted = latencies.withLock { $0 }.sorted()
            func percentile(_ p: Double) -> Double { sorted.quantile(p)?.inMilliseconds ?? 0 }
            let seconds = sendTime.inSeconds
            let incidents = try await storage.incidents.search(IncidentQuery(page: PageRequest(limit: 1)), in: Self.org)
            print(
                String(format: "sent:             %d events in %.1f s (%.0f/s)", sent, seconds, Double(sent) / seconds))
            print(
                "processed:        \(processed.withLock { $0 }) events, \(sorted.count) of \(firingSent) firing measured"
            )
            print("incidents:        \(incidents.total) stored")
            print(
                String(
                    format: "event→incident:   p50 %.1f ms, p90 %.1f ms, p99 %.1f ms, max %.1f ms", percentile(0.5),
                    percentile(0.9), percentile(0.99), percentile(1.0)))
            if let live {
                let report = try await live.finish()
                let delivered = report.latencies.sorted()
                print(
                    "live clients:     \(report.connected) connected; each reader got \(report.received.min)–"
                        + "\(report.received.max) incident events; \(report.droppedForSlowClients) dropped for the silent one"
                )
                print(
                    String(
                        format: "event→browser:    p50 %.1f ms, p99 %.1f ms (%d timed deliveries)",
                        delivered.quantile(0.5)?.inMilliseconds ?? 0, delivered.quantile(0.99)?.inMilliseconds ?? 0,
                        delivered.count))
            }
            print("RSS:              \(ProcessMemory.residentBytes(of: getpid()) / 1_048_576) MB")
        }

        /// Rule evaluation alone, on one core: the ceiling the engine works under.
        private func measureDetection(_ rules: DetectionEngine, firing: [Artifact], quiet: [Artifact]) {
            var engine = rules
            let mix = (0..<20_000).map {
                $0 % self.firingEvery == 0 ? firing[$0 % firing.count] : quiet[$0 % quiet.count]
            }
            let start = ContinuousClock.now
            var detections = 0
            for artifact in mix { detections += engine.evaluate(artifact).count }
            let elapsed = ContinuousClock.now - start
            let seconds = elapsed.inSeconds
            print(
                String(
                    format: "detection alone:  %.0f events/s on one core (%d detections in %d events)",
                    Double(mix.count) / seconds, detections, mix.count))
        }

        /// Events that fire a loaded rule (Sigma regression events, sshd failures) and events that fire none.
        private func templates(sortedBy rules: DetectionEngine) throws -> ([Artifact], [Artifact]) {
            var context = ParsingContext(orgID: Self.org, source: "bench", receivedAt: Date())
            let parser = LogParser()
            var candidates: [Artifact] = []
            let events = URL(fileURLWithPath: self.detection.sigmaRules).deletingLastPathComponent()
                .appendingPathComponent("events")
            let enumerator = FileManager.default.enumerator(atPath: events.path)
            while let path = enumerator?.nextObject() as? String {
                guard path.hasSuffix(".json"),
                    let data = FileManager.default.contents(atPath: events.appendingPathComponent(path).path)
                else { continue }
                for message in MessageSplitter.messages(in: Array(data)) {
                    candidates.append(parser.parse(Array(message), context: &context).artifact)
                }
            }
            for index in 0..<20 {
                let line =
                    "<38>Nov 21 10:15:01 bastion sshd[\(index)]: Failed password for root from 198.51.100.\(index + 1) port \(40_000 + index) ssh2"
                candidates.append(parser.parse(Array(line.utf8), context: &context).artifact)
            }
            // Noise: allowed flows and routine application messages between many addresses.
            var quiet = SyntheticArtifacts.make(count: 2_000).enumerated().map { index, template in
                var artifact = template
                artifact.orgID = Self.org
                if artifact.messageType == .authFailure {
                    let line = "<134>Nov 21 10:15:01 app\(index % 40) cron[\(index)]: job \(index) finished in 12 ms"
                    artifact = parser.parse(Array(line.utf8), context: &context).artifact
                } else {
                    artifact.action = "allow"
                }
                return artifact
            }
            // Sorted by what the loaded rules do with them, as the engine will see them.
            var engine = rules
            let firing = candidates.filter { !engine.evaluate($0).isEmpty }
            quiet = quiet.filter { engine.evaluate($0).isEmpty }
            guard !firing.isEmpty, !quiet.isEmpty else {
                throw CommandError(description: "no event templates; run from the repository root (fixtures/)")
            }
            return (firing, quiet)
        }
    }
}
