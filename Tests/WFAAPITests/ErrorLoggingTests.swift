import HTTPTypes
import OpenAPIRuntime
import Testing

@testable import WFAAPI

struct ErrorLoggingTests {
    struct Cause: Error {}

    @Test("a failed operation is logged by its cause, never with the request's credentials")
    func serverErrorsAreLoggedWithoutCredentials() throws {
        var request = HTTPRequest(method: .post, scheme: nil, authority: nil, path: "/api/v1/artifacts")
        request.headerFields[.authorization] = "Bearer secret-token-value"
        request.headerFields[try #require(HTTPField.Name("X-API-Key"))] = "wfa_secret-key-value"
        let error = ServerError(
            operationID: "ingestArtifacts", request: request, requestBody: nil, requestMetadata: .init(),
            causeDescription: "could not read the body", underlyingError: Cause())
        // The runtime's own description carries the headers: that is what must not reach the log.
        #expect(String(reflecting: error).contains("secret-token-value"))
        let logged = ErrorMiddleware.loggable(error)
        #expect(logged.contains("could not read the body"))
        #expect(!logged.contains("secret-token-value"))
        #expect(!logged.contains("wfa_secret-key-value"))
    }
}
