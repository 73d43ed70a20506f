import ArgumentParser
import Foundation
import Logging
import Prometheus
import ServiceLifecycle
import UnixSignals
import WFAAPI
import WFACore
import WFAHTTP
import WFAIngestion
import WFAPostgres
import WFAStorage

/// `wfa serve`: runs the platform until SIGINT or SIGTERM.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract:
            "Run wfa: start (or connect to) the database, apply migrations, and keep storage maintained until stopped.",
        discussion: """
            Stops cleanly on Ctrl-C or SIGTERM, including the private PostgreSQL it started.
            """
    )

    @Flag(help: "Load the demo logs from fixtures/demo (or --demo-dir) into the 'demo' org.")
    var demo = false

    @Option(help: "Folder of *.log files for --demo.")
    var demoDir: String = "fixtures/demo"

    @Option(help: "Seconds between storage maintenance rounds (partitions, retention).")
    var maintenanceInterval: Int = 3_600

    @OptionGroup var api: APIOptions
    @OptionGroup var ingestion: IngestionOptions
    @OptionGroup var global: GlobalOptions
    @OptionGroup var storage: StorageOptions

    func run() async throws {
        let logger = try self.global.bootstrapLogging()
        try await self.storage.withDatabase(logger: logger) { database, location in
            print("wfa: storage ready: \(location)")
            let applied = database.migrationsAppliedAtOpen
            print(
                "wfa: schema version \(PostgresDatabase.latestSchemaVersion)"
                    + (applied.isEmpty ? " (already current)" : " (applied \(applied.count) migration(s) now)"))
            if self.demo {
                let corpus = DemoCorpus(directory: URL(fileURLWithPath: self.demoDir))
                let report = try await corpus.load(into: database.storage.artifacts)
                for file in report.files {
                    print("wfa: demo: loaded \(file.lines) lines of \(file.name)")
                }
                print(
                    "wfa: demo: \(report.total) artifacts parsed and stored in org '\(DemoCorpus.org)'"
                )
            }
            let policy = try await database.storage.directory.retentionPolicy()
            print(
                "wfa: retention: artifacts \(policy.artifactDays) d, graph \(policy.graphDays) d, work units "
                    + "\(policy.workUnitDays) d, incidents \(policy.incidentDays) d, reports \(policy.reportDays) d"
            )
            let storage = database.storage
            if let admin = try await APIApplication.bootstrapFirstAdmin(
                email: self.api.firstAdminEmail, password: self.api.firstAdminPassword(prompt: true),
                storage: storage, logger: logger)
            {
                print("wfa: created the first admin \(admin.email) in org '\(admin.orgID)'")
            }
            let signer = TokenSigner(secret: try await self.signingSecret(storage: storage))
            let registry = ProcessMetrics.registry
            let metricsFactory = PrometheusMetricsFactory(registry: registry)
            let ingestor = Ingestor(
                sink: StorageArtifactSink(store: storage.artifacts), metrics: IngestMetrics(factory: metricsFactory))
            let handler = APIHandler(
                storage: storage, signer: signer, ingestor: ingestor, version: WFAVersion.current,
                metricsText: {
                    var buffer: [UInt8] = []
                    registry.emit(into: &buffer)
                    return String(decoding: buffer, as: UTF8.self)
                })
            let responder = try APIApplication.makeResponder(
                handler: handler, authenticator: Authenticator(directory: storage.directory, signer: signer),
                metricsFactory: metricsFactory)
            let server = try await HTTPServer(
                configuration: try self.api.serverConfiguration(), responder: responder, logger: logger)
            print("wfa: API on \(self.api.scheme)://\(server.configuration.host):\(server.localPort)/api/v1")
            let receivers = try await self.startReceivers(ingestor: ingestor, logger: logger)
            print("wfa: running; press Ctrl-C to stop")
            let maintenance = MaintenanceService(
                database: database, interval: .seconds(Int64(max(1, self.maintenanceInterval))), logger: logger)
            let services: [any Service] = [maintenance, server] + receivers
            let group = ServiceGroup(
                configuration: .init(
                    services: services.map { .init(service: $0) },
                    gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
            try await group.run()
            print("wfa: stopping")
        }
        print("wfa: stopped")
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
