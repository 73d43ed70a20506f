import HTTPTypes
import Logging
import NIOCore
import OpenAPIRuntime
import Testing

@testable import WFAHTTP

/// How the transport routes requests to the generated handlers.
struct OpenAPIServerTransportTests {
    static func transport() throws -> OpenAPIServerTransport {
        let transport = OpenAPIServerTransport()
        for (method, path, name) in [
            (HTTPRequest.Method.get, "/artifacts/{id}", "get"), (.post, "/artifacts/upload", "upload"),
            (.post, "/artifacts", "ingest"),
        ] {
            try transport.register(
                { _, _, metadata in
                    let id = metadata.pathParameters["id"].map { ":\($0)" } ?? ""
                    return (HTTPResponse(status: .ok), HTTPBody(name + id))
                }, method: method, path: path)
        }
        return transport
    }

    static func send(_ method: HTTPRequest.Method, _ path: String, to transport: OpenAPIServerTransport) async throws
        -> HTTPServerResponse
    {
        let context = HTTPRequestContext(requestID: "test", logger: Logger(label: "test"), remoteAddress: nil)
        return try await transport.respond(
            to: HTTPServerRequest(head: HTTPRequest(method: method, scheme: "http", authority: "h", path: path)),
            context: context)
    }

    @Test("a literal path segment wins over a parameter, for dispatch and for Allow")
    func literalsBeatParameters() async throws {
        let transport = try Self.transport()
        let upload = try await Self.send(.post, "/artifacts/upload", to: transport)
        #expect(String(buffer: upload.body) == "upload")
        let one = try await Self.send(.get, "/artifacts/abc", to: transport)
        #expect(String(buffer: one.body) == "get:abc")
        let wrongMethod = try await Self.send(.get, "/artifacts/upload", to: transport)
        #expect(wrongMethod.head.status == .methodNotAllowed)
        #expect(wrongMethod.head.headerFields[.allow] == "POST")
        let unknown = try await Self.send(.get, "/nothing/here", to: transport)
        #expect(unknown.head.status == .notFound)
    }
}
