public import HTTPTypes
public import Metrics
public import OpenAPIRuntime
import Synchronization

/// Counts requests and times them by operation and status (`wfa.http.server.requests`,
/// `wfa.http.server.request.duration`). Dimensions stay bounded: the operationId, never a path.
public final class MetricsMiddleware: ServerMiddleware {
    private struct Key: Hashable {
        var operation: String
        var status: Int
    }

    private let factory: any MetricsFactory
    /// Each metric is made once per (operation, status) and reused.
    private let metrics = Mutex<[Key: (Counter, Metrics.Timer)]>([:])

    public init(factory: any MetricsFactory) {
        self.factory = factory
    }

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let started = ContinuousClock.now
        do {
            let (response, responseBody) = try await next(request, body, metadata)
            self.record(operationID, status: response.status.code, duration: ContinuousClock.now - started)
            return (response, responseBody)
        } catch {
            self.record(operationID, status: 500, duration: ContinuousClock.now - started)
            throw error
        }
    }

    private func record(_ operation: String, status: Int, duration: Duration) {
        let key = Key(operation: operation, status: status)
        let (counter, timer) = self.metrics.withLock { metrics in
            if let existing = metrics[key] { return existing }
            let dimensions = [("http.route", operation), ("http.response.status_code", String(status))]
            let made = (
                Counter(label: "wfa.http.server.requests", dimensions: dimensions, factory: self.factory),
                Metrics.Timer(label: "wfa.http.server.request.duration", dimensions: dimensions, factory: self.factory)
            )
            metrics[key] = made
            return made
        }
        counter.increment()
        timer.record(duration: duration)
    }
}
