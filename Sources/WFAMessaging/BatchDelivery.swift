/// Hands a batch to a consumer's handler the way every bus does: the whole batch first (one
/// storage round trip for many messages), and after a failure each message alone, so that one bad
/// message is retried by itself while the rest are acknowledged.
enum BatchDelivery {
    /// The positions in `messages` that failed, with the error of each.
    static func deliver(
        _ messages: [BusMessage], to handler: @Sendable ([BusMessage]) async throws -> Void
    ) async -> [(index: Int, error: any Error)] {
        do {
            try await handler(messages)
            return []
        } catch {
            guard messages.count > 1 else { return [(0, error)] }
        }
        var failures: [(index: Int, error: any Error)] = []
        for (index, message) in messages.enumerated() {
            do {
                try await handler([message])
            } catch {
                failures.append((index, error))
            }
        }
        return failures
    }
}
