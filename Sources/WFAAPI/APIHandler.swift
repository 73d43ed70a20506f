import Foundation
public import Logging
import OpenAPIRuntime
import WFACore
public import WFAIngestion
public import WFAMessaging
public import WFANotifications
public import WFAStorage

/// Implements the operations of the API document (`APIProtocol`, generated). The operations are
/// spread over one file per tag: `StatusAPI.swift`, `AuthAPI.swift`, `UsersAPI.swift`, `SettingsAPI.swift`,
/// `ArtifactsAPI.swift`, `GraphAPI.swift`, `BusAPI.swift`, `IncidentsAPI.swift`, `IncidentWorkflowAPI.swift`,
/// `WorkUnitsAPI.swift`, `ObservationsAPI.swift`.
public struct APIHandler: APIProtocol {
    let storage: Storage
    /// Parses and hands on what `POST /artifacts` receives.
    let ingestor: Ingestor
    /// The pipeline's bus, for its dead letters; nil in a process without one.
    let bus: (any Bus)?
    let signer: TokenSigner
    let hasher: PasswordHasher
    let throttle: LoginThrottle
    let version: String
    let startedAt: ContinuousClock.Instant
    /// The metrics of the process in Prometheus text format (the executable owns the registry).
    let metricsText: @Sendable () -> String
    let logger: Logger
    /// Sends `POST /notification-channels/{id}/test` (one attempt: the caller is waiting).
    let notificationSender: NotificationSender

    public init(
        storage: Storage, signer: TokenSigner, hasher: PasswordHasher = PasswordHasher(),
        throttle: LoginThrottle = LoginThrottle(), ingestor: Ingestor? = nil, bus: (any Bus)? = nil,
        version: String, metricsText: @escaping @Sendable () -> String, logger: Logger = Logger(label: "wfa.api"),
        notificationSender: NotificationSender = NotificationSender(
            transport: URLSessionWebhookTransport(timeout: 3), retry: .init(attempts: 1, attemptTimeout: .seconds(4)))
    ) {
        self.notificationSender = notificationSender
        self.logger = logger
        self.bus = bus
        self.ingestor =
            ingestor
            ?? Ingestor(
                sink: ClassifyingSink(rules: storage.rules, next: StorageArtifactSink(store: storage.artifacts)))
        self.metricsText = metricsText
        self.storage = storage
        self.signer = signer
        self.hasher = hasher
        self.throttle = throttle
        self.version = version
        self.startedAt = .now
    }

    /// The caller; every operation other than `none` ones runs after ``AuthorizationMiddleware`` set it.
    func principal() throws -> Principal {
        guard let principal = Principal.current else { throw APIError.unauthenticated() }
        return principal
    }
}
