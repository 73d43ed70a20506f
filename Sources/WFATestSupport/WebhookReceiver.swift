public import Foundation
public import HTTPTypes
import Logging
import NIOCore
import Synchronization
import WFAHTTP

/// One request the loopback receiver got.
public struct ReceivedRequest: Sendable {
    public var path: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: Data
}

/// What the receiver saw and what it answers next; shared with its responder.
final class WebhookRecorder: Sendable {
    let requests = Mutex<[ReceivedRequest]>([])
    let statuses: Mutex<[HTTPResponse.Status]>

    init(statuses: [HTTPResponse.Status]) {
        self.statuses = Mutex(statuses)
    }

    func answer(_ request: HTTPServerRequest) -> HTTPServerResponse {
        var headers: [String: String] = [:]
        for field in request.head.headerFields { headers[field.name.canonicalName.lowercased()] = field.value }
        let received = ReceivedRequest(
            path: request.head.path ?? "", headers: headers, body: Data(request.body.readableBytesView))
        self.requests.withLock { $0.append(received) }
        let status = self.statuses.withLock { $0.isEmpty ? HTTPResponse.Status.noContent : $0.removeFirst() }
        return HTTPServerResponse(status: status, body: "")
    }
}

/// An HTTP server on a free loopback port that records requests and answers with `statuses`
/// in turn (then 204).
public final class WebhookReceiver: Sendable {
    let recorder: WebhookRecorder
    let server: HTTPServer
    let running: Task<Void, any Error>

    public init(statuses: [HTTPResponse.Status] = []) async throws {
        let recorder = WebhookRecorder(statuses: statuses)
        self.recorder = recorder
        let server = try await HTTPServer(
            configuration: .init(host: "127.0.0.1", port: 0),
            responder: ClosureResponder { request, _ in recorder.answer(request) },
            logger: Logger(label: "receiver"))
        self.server = server
        self.running = Task { try await server.run() }
    }

    public var received: [ReceivedRequest] { self.recorder.requests.withLock { $0 } }

    public var url: URL {
        var components = URLComponents()
        components.scheme = "http"
        components.host = "127.0.0.1"
        components.port = self.server.localPort
        components.path = "/hook"
        return components.url ?? URL(fileURLWithPath: "/")
    }

    public func stop() async {
        self.server.shutDownGracefully()
        _ = try? await self.running.value
    }
}
