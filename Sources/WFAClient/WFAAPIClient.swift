public import Foundation
import OpenAPIRuntime
import OpenAPIURLSession

extension Client {
    /// A client for the wfa API at `server` (e.g. `http://127.0.0.1:8080`), authenticating with `credential`.
    /// - Throws: when `server` is not an http(s) URL.
    public static func wfa(server: URL, credential: CredentialMiddleware.Credential?) throws -> Client {
        guard let scheme = server.scheme, scheme == "http" || scheme == "https" else {
            throw URLError(.badURL)
        }
        return Client(
            serverURL: server.appendingPathComponent("api/v1"),
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: URLSessionTransport(),
            middlewares: [CredentialMiddleware(credential)])
    }
}
