public import Foundation
public import HTTPTypes
public import OpenAPIRuntime

/// Adds the caller's credential to every request: a bearer token or an API key.
public struct CredentialMiddleware: ClientMiddleware {
    public enum Credential: Sendable {
        case bearer(String)
        case apiKey(String)
    }

    let credential: Credential?

    public init(_ credential: Credential?) {
        self.credential = credential
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        switch self.credential {
        case .bearer(let token): request.headerFields[.authorization] = "Bearer \(token)"
        case .apiKey(let key): if let name = HTTPField.Name("X-API-Key") { request.headerFields[name] = key }
        case nil: break
        }
        return try await next(request, body, baseURL)
    }
}
