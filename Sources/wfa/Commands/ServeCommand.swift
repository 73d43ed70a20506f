import ArgumentParser
import Foundation
import HTTPTypes
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals
import WFAAPI
import WFACore
import WFADispatcher
import WFAGraph
import WFAHTTP
import WFAIncidents
import WFAIngestion
import WFAMessaging
import WFANotifications
import WFAPostgres
import WFAStorage

/// `wfa serve`: runs the platform until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run wfa: every role in one process by default, or one role of a split installation (--role).",
        discussion: """
            Starts (or connects to) the database and applies migrations. With no --role, runs every role \
            in this process over an in-process bus: the API and the browser UI, live updates (/ws), the \
            syslog receivers, the graph-processor, the incident engine and the notifier. With \
            --role and --nats-url, runs one role; the roles of an installation then talk over NATS \
            JetStream. Stops cleanly on Ctrl-C or SIGTERM, including the private PostgreSQL it started.
            """
    )

    @Flag(help: "Load the demo logs from fixtures/demo (or --demo-dir) into the 'demo' org.")
    var demo = false

    @Option(help: "Folder of *.log files for --demo.")
    var demoDir: String = "fixtures/demo"

    @Option(help: "Seconds between storage maintenance rounds (partitions, retention).")
    var maintenanceInterval: Int = 3_600

    @OptionGroup var api: APIOptions
    @OptionGroup var ui: UIOptions
    @OptionGroup var ingestion: IngestionOptions
    @OptionGroup var pipeline: PipelineOptions
    @OptionGroup var network: NetworkOptions
    @OptionGroup var detection: DetectionOptions
    @OptionGroup var global: GlobalOptions
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let logger = try self.global.bootstrapLogging()
        let role = try self.pipeline.selectedRole
        let projection = GraphProjection(policy: try self.network.networkPolicy())
        let bus = try self.pipeline.makeBus(logger: logger)
        // The in-process bus holds messages in memory only: artifacts are stored before they are
        // published, so an accepted event survives a crash. Over JetStream the graph-processor
        // stores them.
        let busIsDurable = bus is JetStreamBus
        print("wfa: role \(role.rawValue), bus: \(self.pipeline.url.map { "NATS JetStream at \($0)" } ?? "in process")")
        try await self.storage.withDatabase(logger: logger) { database, location in
            print("wfa: storage ready: \(location)")
            let applied = database.migrationsAppliedAtOpen
            print(
                "wfa: schema version \(PostgresDatabase.latestSchemaVersion)"
                    + (applied.isEmpty ? " (already current)" : " (applied \(applied.count) migration(s) now)"))
            let storage = database.storage
            let registry = ProcessMetrics.registry
            let metricsFactory = PrometheusMetricsFactory(registry: registry)
            try await bus.declare(.artifacts, consumer: GraphProcessor.consumer)
            if [.all, .graphProcessor, .incidentEngine].contains(role) {
                // Declared before anything is graphed, so no graph event is published to no one.
                try await bus.declare(.graph, consumer: IncidentEngine.consumer)
            }
            if [.all, .incidentEngine, .api].contains(role) {
                // Incident events come from the engine and from analysts' changes through the API.
                try await bus.declare(.incidents, consumer: Notifier.consumer)
            }
            let ingestor = Ingestor(
                sink: ClassifyingSink(
                    rules: storage.rules,
                    next: BusArtifactSink(bus: bus, storingFirstIn: busIsDurable ? nil : storage.artifacts)),
                metrics: IngestMetrics(factory: metricsFactory))

            var services: [any Service] = [
                BusMetricsService(
                    bus: bus,
                    consumers: [(.artifacts, GraphProcessor.consumer.name), (.graph, IncidentEngine.consumer.name)],
                    factory: metricsFactory, logger: logger)
            ]
            if role == .all || role == .graphProcessor {
                services.append(
                    GraphProcessor(
                        bus: bus, artifacts: busIsDurable ? storage.artifacts : nil, graph: storage.graph,
                        projection: projection, logger: logger))
                print("wfa: graph-processor consuming \(BusTopic.artifacts.wildcard)")
            }
            if role == .all || role == .incidentEngine {
                services.append(try await self.startIncidentEngine(storage: storage, bus: bus, logger: logger))
                services.append(
                    Notifier(
                        bus: bus, store: storage.notifications,
                        sender: NotificationSender(
                            transport: URLSessionWebhookTransport(), userAgent: "wfa/\(WFAVersion.current)"),
                        logger: logger))
                print("wfa: notifier consuming \(BusTopic.incidents.wildcard)")
            }
            if role == .all || role == .api {
                services += try await self.startAPI(
                    database: database, ingestor: ingestor, bus: bus, registry: registry,
                    metricsFactory: metricsFactory, logger: logger)
            }
            if role == .dispatcher {
                services += try await self.startDispatcher(storage: storage, bus: bus, logger: logger)
            }
            if role == .all || role == .artifactIngestion {
                services += try await self.startReceivers(ingestor: ingestor, logger: logger)
            }
            if self.demo {
                let report = try await DemoCorpus(directory: URL(fileURLWithPath: self.demoDir))
                    .load(into: ingestor.sink)
                for file in report.files {
                    print("wfa: demo: loaded \(file.lines) lines of \(file.name)")
                }
                print("wfa: demo: \(report.total) artifacts parsed and sent into org '\(DemoCorpus.org)'")
            }
            print("wfa: running; press Ctrl-C to stop")
            let group = ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            print("wfa: stopping")
        }
        try await (bus as? JetStreamBus)?.shutdown()
        print("wfa: stopped")
    }

    /// Sets up the incident engine: seeds the shipped rules into the orgs that have none, then
    /// consumes graph events.
    private func startIncidentEngine(storage: Storage, bus: any Bus, logger: Logger) async throws -> IncidentEngine {
        let seeder = RuleSeeder(rules: storage.rules)
        for org in [Org.ID("default")] + (self.demo ? [DemoCorpus.org] : []) {
            let report = try await seeder.seed(
                org, catalog: URL(fileURLWithPath: self.detection.leadCatalog),
                sigmaDirectory: URL(fileURLWithPath: self.detection.sigmaRules))
            if report.leadRules + report.sigmaRules > 0 {
                print(
                    "wfa: rules: seeded org '\(org)' with \(report.leadRules) lead rules and \(report.sigmaRules) Sigma rules"
                )
            }
            for problem in report.problems { print("wfa: rules: not loaded: \(problem)") }
        }
        print("wfa: incident-engine consuming \(BusTopic.graph.wildcard)")
        return IncidentEngine(
            bus: bus, rules: storage.rules, incidents: storage.incidents, graph: storage.graph,
            configuration: try self.detection.correlation(leadSets: try self.detection.leadSets()), logger: logger)
    }

    /// Sets up the API role: the first admin, the token key, storage maintenance and the HTTP server.
    private func startAPI(
        database: PostgresDatabase, ingestor: Ingestor, bus: any Bus, registry: PrometheusCollectorRegistry,
        metricsFactory: PrometheusMetricsFactory, logger: Logger
    ) async throws -> [any Service] {
        let storage = database.storage
        let policy = try await storage.directory.retentionPolicy()
        print(
            "wfa: retention: artifacts \(policy.artifactDays) d, graph \(policy.graphDays) d, work units "
                + "\(policy.workUnitDays) d, incidents \(policy.incidentDays) d, reports \(policy.reportDays) d"
        )
        if let admin = try await APIApplication.bootstrapFirstAdmin(
            email: self.api.firstAdminEmail, password: self.api.firstAdminPassword(prompt: true),
            storage: storage, logger: logger)
        {
            print("wfa: created the first admin \(admin.email) in org '\(admin.orgID)'")
        }
        let signer = TokenSigner(secret: try await self.signingSecret(storage: storage))
        let handler = APIHandler(
            storage: storage, signer: signer, ingestor: ingestor, bus: bus, version: WFAVersion.current,
            metricsText: {
                var buffer: [UInt8] = []
                registry.emit(into: &buffer)
                return String(decoding: buffer, as: UTF8.self)
            })
        let authenticator = Authenticator(directory: storage.directory, signer: signer)
        let api = try APIApplication.makeResponder(
            handler: handler, authenticator: authenticator, metricsFactory: metricsFactory)
        // Live updates on /ws of the same server (same origin as the API and the UI).
        let (live, liveServices) = self.liveUpdates(
            storage: storage, authenticator: authenticator, bus: bus, logger: logger)
        let loaded = try self.ui.site()
        let site = loaded?.site
        let responder = ClosureResponder { request, context in
            if let refused = await Self.refusal(of: request, by: live) { return refused }
            if let site, !(request.head.path ?? "").hasPrefix("/api/"), let page = site.response(to: request.head) {
                return page
            }
            return try await api.respond(to: request, context: context)
        }
        var configuration = try self.api.serverConfiguration()
        configuration.webSocket = live.route
        let server = try await HTTPServer(configuration: configuration, responder: responder, logger: logger)
        let host = server.configuration.host
        print("wfa: API on \(self.api.scheme)://\(host):\(server.localPort)/api/v1")
        print("wfa: live updates on \(self.api.scheme == "https" ? "wss" : "ws")://\(host):\(server.localPort)/ws")
        let maintenance = MaintenanceService(
            database: database, interval: .seconds(Int64(max(1, self.maintenanceInterval))), logger: logger)
        var services: [any Service] = [maintenance] + liveServices + [server]
        guard let loaded else {
            if !self.ui.noUI { print("wfa: no built UI found (run scripts/build-ui.sh, or pass --ui-dir); API only") }
            return services
        }
        print(
            "wfa: UI (\(loaded.site.count) files from \(loaded.directory)) on \(self.api.scheme)://\(host):\(server.localPort)/"
        )
        if let uiPort = self.ui.port, uiPort != server.localPort {
            configuration.port = uiPort
            do {
                let uiServer = try await HTTPServer(configuration: configuration, responder: responder, logger: logger)
                print("wfa: UI also on \(self.api.scheme)://\(host):\(uiServer.localPort)/")
                services.append(uiServer)
            } catch {
                throw CommandError(
                    description: "cannot listen for the UI on \(host):\(uiPort) (\(error)); "
                        + "pick another --ui-port or pass --ui-port 0")
            }
        }
        return services
    }

    /// The dispatcher role of a split installation: `/ws` alone, on its own port.
    private func startDispatcher(storage: Storage, bus: any Bus, logger: Logger) async throws -> [any Service] {
        let signer = TokenSigner(secret: try await self.signingSecret(storage: storage))
        let authenticator = Authenticator(directory: storage.directory, signer: signer)
        let (live, services) = self.liveUpdates(
            storage: storage, authenticator: authenticator, bus: bus, logger: logger)
        var configuration = try self.api.serverConfiguration()
        configuration.port = self.ui.liveDispatcherPort
        configuration.webSocket = live.route
        let responder = ClosureResponder { request, _ in
            if let refused = await Self.refusal(of: request, by: live) { return refused }
            return HTTPServerResponse(
                status: .notFound, contentType: "application/json",
                body: #"{"success":false,"message":"this server only has /ws","code":"not_found"}"#)
        }
        let server = try await HTTPServer(configuration: configuration, responder: responder, logger: logger)
        print(
            "wfa: dispatcher: live updates on \(self.api.scheme == "https" ? "wss" : "ws")://"
                + "\(server.configuration.host):\(server.localPort)/ws")
        return services + [server]
    }

    /// `/ws` and what feeds it: the dispatcher (its own consumer of incident events) and the
    /// sampled artifact feed, for the browsers of tokens that may read incidents.
    private func liveUpdates(
        storage: Storage, authenticator: Authenticator, bus: any Bus, logger: Logger
    ) -> (LiveRoute, [any Service]) {
        let dispatcher = Dispatcher(bus: bus, hub: DispatchHub(), logger: logger)
        let live = LiveRoute(hub: dispatcher.hub, allowedOrigins: self.ui.allowedOrigins) { token in
            guard let principal = try? await authenticator.principal(bearer: token),
                principal.holds(Permission(.incidents, .read))
            else { return nil }
            return principal.orgID
        }
        let feed = ArtifactFeed(hub: dispatcher.hub, artifacts: storage.artifacts, logger: logger)
        return (live, [dispatcher, feed])
    }

    /// The answer to a `/ws` request that was not upgraded, saying why as the API would; nil for
    /// other requests.
    private static func refusal(of request: HTTPServerRequest, by live: LiveRoute) async -> HTTPServerResponse? {
        guard let status = await live.refusal(for: request.head) else { return nil }
        let message = status == .forbidden ? "this Origin may not open live updates" : "sign in first"
        return HTTPServerResponse(
            status: status, contentType: "application/json",
            body: #"{"success":false,"message":"\#(message)","code":"live.refused"}"#)
    }

    /// Binds the syslog receivers (UDP, TCP, and TLS when a certificate is configured).
    private func startReceivers(ingestor: Ingestor, logger: Logger) async throws -> [any Service] {
        guard !self.ingestion.noSyslog else { return [] }
        var receivers: [any Service] = []
        do {
            let udp = try await SyslogUDPReceiver(
                configuration: self.ingestion.udp(), ingestor: ingestor, logger: logger)
            let tcp = try await SyslogTCPReceiver(
                configuration: try self.ingestion.tcp(), ingestor: ingestor, logger: logger)
            print(
                "wfa: syslog on udp://\(self.ingestion.host):\(udp.localPort) and tcp://\(self.ingestion.host):\(tcp.localPort)"
            )
            receivers += [udp, tcp]
            if let configuration = try self.ingestion.tls() {
                let tls = try await SyslogTCPReceiver(configuration: configuration, ingestor: ingestor, logger: logger)
                print("wfa: syslog over TLS on tcp://\(self.ingestion.host):\(tls.localPort)")
                receivers.append(tls)
            }
        } catch let error as ValidationError {
            throw error
        } catch {
            throw CommandError(
                description: "cannot listen for syslog on \(self.ingestion.host):\(self.ingestion.port) (\(error)); "
                    + "pick another --syslog-port or pass --no-syslog")
        }
        return receivers
    }

    /// The token signing key: WFA_JWT_SECRET, else a random key kept in the installation's settings,
    /// so every API process of the installation shares it.
    private func signingSecret(storage: Storage) async throws -> Secret {
        if let configured = ProcessInfo.processInfo.environment["WFA_JWT_SECRET"], configured.utf8.count >= 32 {
            return Secret(configured)
        }
        if case .string(let stored) = try await storage.directory.setting("auth.jwt_secret", in: nil) {
            return Secret(stored)
        }
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<48).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        let secret = Data(bytes).base64EncodedString()
        try await storage.directory.setSetting("auth.jwt_secret", to: .string(secret), in: nil)
        return Secret(secret)
    }
}
