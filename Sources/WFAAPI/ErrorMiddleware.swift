import Foundation
public import HTTPTypes
import Logging
import NIOCore
public import OpenAPIRuntime
import WFAHTTP
import WFAStorage

/// Turns every error into the API's error envelope with the right status. Errors the client may
/// see (``APIError``, mapped ``StorageError`` codes) keep their message; anything else becomes a 500
/// that says only "internal error", with the real error logged under the request id.
public struct ErrorMiddleware: ServerMiddleware {
    public init() {}

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        do {
            return try await next(request, body, metadata)
        } catch {
            let apiError = Self.apiError(for: error)
            if apiError.status == .internalServerError {
                HTTPRequestContext.current?.logger.error(
                    "Operation failed",
                    metadata: ["operation": "\(operationID)", "error": "\(Self.loggable(error))"])
            }
            let envelope = OpenAPIServerTransport.error(apiError.status, apiError.message, code: apiError.code)
            return (envelope.head, HTTPBody(Array(envelope.body.readableBytesView)))
        }
    }

    /// What to log of an error. A `ServerError` describes itself with the whole request, headers
    /// included, which would put bearer tokens and API keys in the log; only its cause is kept.
    static func loggable(_ error: any Error) -> String {
        guard let error = error as? ServerError else { return String(reflecting: error) }
        return "\(error.causeDescription) (underlying: \(String(reflecting: error.underlyingError)))"
    }

    /// One table from error to status (STYLE: errors).
    static func apiError(for error: any Error) -> APIError {
        switch error {
        case let error as APIError:
            return error
        case let error as StorageError:
            switch error.code {
            case .conflict: return APIError(.conflict, code: error.code.rawValue, error.detail)
            case .notFound: return APIError(.notFound, code: error.code.rawValue, "not found")
            case .invalidQuery: return APIError(.badRequest, code: error.code.rawValue, error.detail)
            case .invalidData: return APIError(.unprocessableContent, code: error.code.rawValue, error.detail)
            case .unavailable, .retryable:
                return APIError(.serviceUnavailable, code: error.code.rawValue, "storage is unavailable; retry shortly")
            default: return APIError(.internalServerError, code: "internal", "internal error")
            }
        case let error as ServerError:
            if let underlying = error.underlyingError as? APIError { return underlying }
            if let underlying = error.underlyingError as? StorageError { return Self.apiError(for: underlying) }
            // The generated code could not read the request (bad JSON, missing or mistyped parameters).
            if error.underlyingError is DecodingError || error.causeDescription.lowercased().contains("decod")
                || error.causeDescription.lowercased().contains("parameter")
                || error.causeDescription.lowercased().contains("content type")
                || error.causeDescription.lowercased().contains("body")
            {
                return APIError(.badRequest, code: "request.invalid", "malformed request: \(error.causeDescription)")
            }
            return APIError(.internalServerError, code: "internal", "internal error")
        default:
            return APIError(.internalServerError, code: "internal", "internal error")
        }
    }
}
