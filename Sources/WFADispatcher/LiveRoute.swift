import Foundation
public import HTTPTypes
import NIOCore
public import WFACore
public import WFAHTTP

/// `/ws`: the WebSocket browsers keep open for live updates.
///
/// The upgrade is accepted only with a valid token (the API's JWT, as `Authorization: Bearer` or,
/// since browsers cannot set headers on a WebSocket, the `access_token` query parameter) whose
/// holder may read incidents, and only from an allowed Origin: the server's own (the Origin's
/// host:port equals the Host header) or one configured. Anything else is declined and answered as
/// plain HTTP (401, 403). A client may send `{"subscribe": ["incidents", "health", "artifacts"]}` at any time.
public struct LiveRoute: Sendable {
    /// Who a token belongs to; nil when it is not valid or may not read incidents.
    public typealias Authenticate = @Sendable (_ token: String) async -> Org.ID?

    public static let path = "/ws"

    let hub: DispatchHub
    let authenticate: Authenticate
    let allowedOrigins: Set<String>

    public init(hub: DispatchHub, allowedOrigins: Set<String> = [], authenticate: @escaping Authenticate) {
        self.hub = hub
        self.allowedOrigins = Set(allowedOrigins.map { $0.lowercased() })
        self.authenticate = authenticate
    }

    public var route: WebSocketRoute {
        WebSocketRoute(maximumFrameBytes: 16 * 1024, maximumMessageBytes: 16 * 1024) { request, _ in
            await self.decide(request)
        }
    }

    /// What the door says about one request; ``decide`` and ``refusal(for:)`` both ask it, so the
    /// upgrade and the plain-HTTP answer to a declined one can never disagree.
    enum Admission {
        /// Not a `/ws` request.
        case elsewhere
        case refused(HTTPResponse.Status)
        case admitted(Org.ID)
    }

    func admission(_ request: HTTPRequest) async -> Admission {
        let target = request.path ?? ""
        guard target == Self.path || target.hasPrefix(Self.path + "?") else { return .elsewhere }
        guard self.originIsAllowed(request) else { return .refused(.forbidden) }
        guard let token = Self.token(in: request), let org = await self.authenticate(token) else {
            return .refused(.unauthorized)
        }
        return .admitted(org)
    }

    func decide(_ request: HTTPRequest) async -> WebSocketUpgradeDecision {
        guard case .admitted(let org) = await self.admission(request) else { return .decline }
        let hub = self.hub
        return .accept { connection in
            try await Self.serve(connection, org: org, hub: hub)
        }
    }

    /// Why a `/ws` request that reached the HTTP responder was not upgraded (nil for other paths):
    /// the responder answers with this status. An admitted request that still arrives here did not
    /// ask to upgrade (426).
    public func refusal(for request: HTTPRequest) async -> HTTPResponse.Status? {
        switch await self.admission(request) {
        case .elsewhere: nil
        case .refused(let status): status
        case .admitted: .upgradeRequired
        }
    }

    func originIsAllowed(_ request: HTTPRequest) -> Bool {
        // Non-browser clients send no Origin; browsers always do, and that is what the check is for.
        guard let origin = request.headerFields[.origin]?.lowercased() else { return true }
        if self.allowedOrigins.contains(origin) { return true }
        guard let host = request.authority?.lowercased(), let url = URL(string: origin),
            let originHost = url.host
        else { return false }
        let originAuthority = originHost + (url.port.map { ":\($0)" } ?? "")
        return originAuthority == host
    }

    static func token(in request: HTTPRequest) -> String? {
        if let authorization = request.headerFields[.authorization], authorization.lowercased().hasPrefix("bearer ") {
            return String(authorization.dropFirst(7)).trimmingCharacters(in: .whitespaces)
        }
        guard let target = request.path, let query = URLComponents(string: target)?.queryItems else { return nil }
        return query.first { $0.name == "access_token" }?.value
    }

    /// Writes the hub's batches straight into the socket (``WebSocketConnection/offer(texts:)``),
    /// so fanning an update out to every browser takes no task per browser; the socket's buffers
    /// are the client's bounded buffer. Reads subscriptions until the peer closes.
    private static func serve(_ connection: WebSocketConnection, org: Org.ID, hub: DispatchHub) async throws {
        let id = await hub.connect(org: org, sink: Sink(connection: connection))
        defer { Task { await hub.disconnect(id) } }
        for try await message in connection.messages {
            guard case .text(let text) = message, let topics = Self.subscription(in: text) else { continue }
            await hub.subscribe(id, to: topics)
        }
    }

    struct Sink: DispatchHub.Sink {
        let connection: WebSocketConnection

        func offer(_ batch: DispatchHub.Outbound) -> Bool { self.connection.offer(texts: batch.messages) }

        /// Only the connection itself disconnects its client, once the peer has closed.
        func finish() {}
    }

    /// `{"subscribe": ["incidents", "health", "artifacts"]}`; unknown topics are ignored.
    static func subscription(in text: String) -> Set<DispatchHub.Topic>? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            let names = object["subscribe"] as? [String]
        else { return nil }
        return Set(names.compactMap(DispatchHub.Topic.init(rawValue:)))
    }
}
