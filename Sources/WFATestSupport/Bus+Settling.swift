public import WFAMessaging

extension Bus {
    /// A consumer's backlog, read again until it is `expected` or `timeout` passes. JetStream
    /// applies acknowledgements asynchronously, so just after a handler returned its batch may still
    /// count; and a test that waits for a consumer to catch up waits for 0.
    @discardableResult
    public func backlog(
        of topic: BusTopic, consumer: String, settlingAt expected: Int, timeout: Duration = .seconds(15)
    ) async throws -> Int {
        let deadline = ContinuousClock.now + timeout
        var backlog = try await self.backlog(of: topic, consumer: consumer)
        while backlog != expected, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(50))
            backlog = try await self.backlog(of: topic, consumer: consumer)
        }
        return backlog
    }
}
