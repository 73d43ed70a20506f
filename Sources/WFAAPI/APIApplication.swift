import HTTPTypes
public import Logging
public import Metrics
import OpenAPIRuntime
public import WFACore
public import WFAHTTP
public import WFAStorage

/// The API as an ``HTTPResponder``: generated routes on our transport, with error mapping and
/// permission enforcement in front of every operation.
public enum APIApplication {
    /// - Throws: when the document's routes cannot be registered (a build defect, not input).
    public static func makeResponder(
        handler: APIHandler, authenticator: Authenticator, metricsFactory: any MetricsFactory
    ) throws -> OpenAPIServerTransport {
        // Prometheus scrapers look for /metrics at the root.
        let transport = OpenAPIServerTransport(pathAliases: ["/metrics": "/api/v1/metrics"])
        try handler.registerHandlers(
            on: transport, serverURL: try Servers.Server1.url(),
            configuration: .init(dateTranscoder: WireDateTranscoder()),
            middlewares: [
                MetricsMiddleware(factory: metricsFactory), ErrorMiddleware(),
                AuthorizationMiddleware(authenticator: authenticator), NullFieldMiddleware(),
            ])
        return transport
    }

    /// The permission each operation requires, as the document declares it.
    public static var operationPermissions: [String: String] { OperationPermissions.byOperationID }

    /// Method and path template (below `/api/v1`) of each operation.
    public static var operationRoutes: [String: (method: String, path: String)] { OperationPermissions.routes }

    /// Creates the first org and its admin when the installation has no users yet. There is no
    /// default password: without one the first start stops and says how to give it.
    /// - Returns: the admin created, or nil when users already existed.
    public static func bootstrapFirstAdmin(
        email: String, password: Secret?, storage: Storage, hasher: PasswordHasher = PasswordHasher(), logger: Logger
    ) async throws -> User? {
        let orgs = try await storage.directory.orgs()
        for org in orgs where try await storage.directory.users(in: org.id, page: PageRequest(limit: 1)).total > 0 {
            return nil
        }
        guard let password, password.value.count >= 12 else {
            throw APIError(
                .internalServerError, code: "setup.admin_password",
                "no users exist yet: give the first admin's password (12+ characters) with --admin-password or WFA_ADMIN_PASSWORD"
            )
        }
        let org = orgs.first ?? Org(id: "default", name: "Default")
        try await storage.directory.save(org)
        let admin = User(
            orgID: org.id, email: email, displayName: "Administrator", roleID: Role.admin.id,
            passwordHash: try hasher.hash(password.value))
        try await storage.directory.save(admin)
        logger.info("Created the first admin", metadata: ["user.email": "\(admin.email)", "org.id": "\(org.id)"])
        return admin
    }
}
