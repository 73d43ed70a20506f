public import HTTPTypes
public import OpenAPIRuntime
import WFACore

/// Enforces, in one place, the permission each operation declares in the API document
/// (`x-permission`, compiled into ``OperationPermissions`` at build time).
public struct AuthorizationMiddleware: ServerMiddleware {
    let authenticator: Authenticator

    public init(authenticator: Authenticator) {
        self.authenticator = authenticator
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let requirement = OperationPermissions.byOperationID[operationID] else {
            // Unreachable while the table is generated from the same document; deny rather than guess.
            throw APIError.forbidden("operation \(operationID) declares no permission")
        }
        if requirement == "none" { return try await next(request, body, metadata) }
        guard let principal = try await self.authenticator.principal(for: request) else {
            throw APIError.unauthenticated()
        }
        if requirement != "authenticated" {
            guard let permission = Permission(requirement) else {
                throw APIError.forbidden("operation \(operationID) declares an unknown permission")
            }
            guard principal.holds(permission) else { throw APIError.forbidden("requires \(permission)") }
        }
        return try await Principal.$current.withValue(principal) { try await next(request, body, metadata) }
    }
}
