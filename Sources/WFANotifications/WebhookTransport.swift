public import Foundation

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// Sends one HTTP request and reports the status; the seam where tests and the notifier meet.
public protocol WebhookTransport: Sendable {
    /// - Returns: the response status.
    /// - Throws: when no response arrived (connection refused, timeout, TLS failure).
    func post(_ body: Data, to url: URL, headers: [String: String]) async throws -> Int
}

/// ``WebhookTransport`` over Foundation's URLSession (TLS verified by the system's trust store).
public struct URLSessionWebhookTransport: WebhookTransport {
    let timeout: TimeInterval

    public init(timeout: TimeInterval = 10) {
        self.timeout = timeout
    }

    public func post(_ body: Data, to url: URL, headers: [String: String]) async throws -> Int {
        var request = URLRequest(url: url, timeoutInterval: self.timeout)
        request.httpMethod = "POST"
        request.httpBody = body
        for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
        let (_, response) = try await URLSession.shared.data(for: request)
        return (response as? HTTPURLResponse)?.statusCode ?? 0
    }
}
