public import HTTPTypes

/// An error the API reports to the client as is: a status, a stable `code`, and a message that is
/// safe to show.
public struct APIError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String

    public init(_ status: HTTPResponse.Status, code: String, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public static func unauthenticated(_ message: String = "sign in first") -> APIError {
        APIError(.unauthorized, code: "auth.unauthenticated", message)
    }

    public static func forbidden(_ message: String) -> APIError {
        APIError(.forbidden, code: "auth.forbidden", message)
    }

    public static func invalid(_ message: String) -> APIError {
        APIError(.badRequest, code: "request.invalid", message)
    }
}

extension APIError: CustomStringConvertible {
    public var description: String { "\(self.message) (\(self.code))" }
}
