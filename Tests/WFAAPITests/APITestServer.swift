import Foundation
import Logging
import Prometheus
import WFAAPI
import WFACore
import WFAHTTP
import WFAMessaging
import WFAStorage
import WFATestSupport

/// A live API on a loopback port over in-memory storage, with one user per built-in role in org
/// `acme` and an admin in org `globex`.
struct APITestServer {
    static let password = "correct horse battery staple"
    static let logger = Logger(label: "wfa.tests.api", factory: { _ in SwiftLogNoOpLogHandler() })
    /// Cheap scrypt for tests; production uses the default cost.
    static let hasher = PasswordHasher(costLog2: 10)

    let storage: Storage
    /// The pipeline's bus as the API sees it (for dead letters).
    let bus: InProcessBus
    let signer: TokenSigner
    let client: RawHTTPClient
    /// Bearer tokens by role id (org `acme`), plus `globex-admin`.
    let tokens: [String: String]

    static func run(_ body: (APITestServer) async throws -> Void) async throws {
        let storage = Storage.inMemory()
        let signer = TokenSigner(secret: Secret(String(repeating: "k", count: 48)))
        var tokens: [String: String] = [:]
        for (org, roles) in [(Org.ID("acme"), Role.builtIn), (Org.ID("globex"), [Role.admin])] {
            try await storage.directory.save(Org(id: org, name: org.rawValue))
            for role in roles {
                let user = User(
                    orgID: org, email: "\(role.id.rawValue)@\(org.rawValue).example", displayName: role.name,
                    roleID: role.id, passwordHash: try hasher.hash(password))
                try await storage.directory.save(user)
                let key = org == "acme" ? role.id.rawValue : "globex-\(role.id.rawValue)"
                tokens[key] = try signer.sign(user: user, permissions: role.permissions).token
            }
        }
        let registry = PrometheusCollectorRegistry()
        let bus = InProcessBus()
        let handler = APIHandler(
            storage: storage, signer: signer, hasher: hasher, bus: bus, version: "test",
            metricsText: {
                var buffer: [UInt8] = []
                registry.emit(into: &buffer)
                return String(decoding: buffer, as: UTF8.self)
            })
        let responder = try APIApplication.makeResponder(
            handler: handler, authenticator: Authenticator(directory: storage.directory, signer: signer),
            metricsFactory: PrometheusMetricsFactory(registry: registry))
        let server = try await HTTPServer(configuration: .init(port: 0), responder: responder, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.run() }
            try await body(
                APITestServer(
                    storage: storage, bus: bus, signer: signer, client: RawHTTPClient(port: server.localPort),
                    tokens: tokens))
            server.shutDownGracefully()
            try await group.waitForAll()
        }
    }

    func call(
        _ method: String, _ path: String, token: String? = nil, headers: [String: String] = [:], body: String? = nil
    ) async throws -> ParsedResponse? {
        var headers = headers
        if let token { headers["Authorization"] = "Bearer \(token)" }
        return try await self.client.request(method, "/api/v1" + path, headers: headers, body: body)
    }
}

extension APITestServer {
    /// Makes a message of `org` fail its one delivery, so it becomes a dead letter; returns its sequence.
    func deadLetter(in org: Org.ID, id: String = UUID().uuidString) async throws -> UInt64 {
        let consumer = ConsumerConfiguration(name: "fixture-\(id)", maximumDeliveries: 1)
        try await self.bus.declare(.graph, consumer: consumer)
        try await self.bus.publish([
            BusMessage(id: id, subject: BusTopic.graph.subject(for: org.rawValue), payload: Array("{}".utf8))
        ])
        let failing = Task {
            try await self.bus.consume(.graph, as: consumer) { _ in throw StorageError(.unavailable, "fixture") }
        }
        defer { failing.cancel() }
        for _ in 0..<500 {
            if let letter = try await self.bus.deadLetters(limit: 10_000).first(where: { $0.message.id == id }) {
                return letter.sequence
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        throw StorageError(.unavailable, "the fixture message never became a dead letter")
    }
}
