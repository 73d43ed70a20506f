import Foundation
import Logging
import NIOPosix
import Synchronization
import WFAStorage

/// A small pool of libpq connections whose blocking calls run on a dedicated `NIOThreadPool`
/// with one thread per connection, so libpq never blocks Swift's cooperative threads.
///
/// Calls that fail because the server is unreachable are retried with exponential backoff until
/// `retryTimeout` passes; then the caller gets `storage.unavailable`. Only idempotent work may be
/// retried, which is every write wfa makes except compare-and-set transitions (they opt out).
final class ConnectionPool: Sendable {
    struct Configuration: Sendable {
        var conninfo: String
        var maximumConnections: Int
        var retryTimeout: Duration
    }

    private enum Grant {
        case connection(LibPQConnection)
        case mayConnect
    }

    private struct State {
        var idle: [LibPQConnection] = []
        var open = 0
        var waiters: [CheckedContinuation<Grant?, Never>] = []
        var closed = false
    }

    private let configuration: Configuration
    private let threads: NIOThreadPool
    private let state = Mutex(State())
    private let logger: Logger

    init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
        self.threads = NIOThreadPool(numberOfThreads: configuration.maximumConnections)
        self.threads.start()
    }

    /// Runs `body` with a leased connection on a database thread.
    @discardableResult
    /// - Parameter retry: whether a failure with the server unreachable may be retried.
    func withConnection<Result: Sendable>(
        retry: Bool = true, _ body: @escaping @Sendable (LibPQConnection) throws -> Result
    ) async throws -> Result {
        let deadline = ContinuousClock.now.advanced(by: self.configuration.retryTimeout)
        var backoff = Duration.milliseconds(50)
        while true {
            do {
                let connection = try await self.acquire()
                do {
                    let result = try await self.threads.runIfActive { try body(connection) }
                    self.release(connection)
                    return result
                } catch {
                    self.release(connection)
                    throw error
                }
            } catch let error as StorageError where Self.isTransient(error) && retry {
                guard ContinuousClock.now.advanced(by: backoff) < deadline, !self.isClosed else { throw error }
                self.logger.debug(
                    "PostgreSQL call failed, retrying",
                    metadata: ["error.code": "\(error.code)", "retry.backoff": "\(backoff)"])
                try await Task.sleep(for: backoff)
                backoff = min(backoff * 2, .seconds(1))
            }
        }
    }

    private static func isTransient(_ error: StorageError) -> Bool {
        error.code == .unavailable || error.code == .retryable
    }

    private var isClosed: Bool { self.state.withLock { $0.closed } }

    private func acquire() async throws -> LibPQConnection {
        let grant: Grant? = await withCheckedContinuation { (continuation: CheckedContinuation<Grant?, Never>) in
            // Decide and queue under one lock, so a release in between cannot be missed.
            let immediate: Grant?? = self.state.withLock { state -> Grant?? in
                if state.closed { return .some(nil) }
                if let connection = state.idle.popLast() { return .some(.connection(connection)) }
                if state.open < self.configuration.maximumConnections {
                    state.open += 1
                    return .some(.mayConnect)
                }
                state.waiters.append(continuation)
                return .none
            }
            if case .some(let grant) = immediate { continuation.resume(returning: grant) }
        }
        switch grant {
        case .none:
            throw StorageError(.unavailable, "database connection pool is closed")
        case .connection(let connection):
            return connection
        case .mayConnect:
            do {
                let conninfo = self.configuration.conninfo
                return try await self.threads.runIfActive {
                    let connection = try LibPQConnection(conninfo: conninfo)
                    try connection.execute("SET TimeZone = 'UTC'; SET DateStyle = 'ISO'; SET application_name = 'wfa'")
                    return connection
                }
            } catch {
                self.slotFreed()
                throw error
            }
        }
    }

    private func release(_ connection: LibPQConnection) {
        guard connection.isHealthy else {
            self.slotFreed()
            return
        }
        let waiter: CheckedContinuation<Grant?, Never>? = self.state.withLock { state in
            if state.closed {
                state.open -= 1
                return nil
            }
            if !state.waiters.isEmpty { return state.waiters.removeFirst() }
            state.idle.append(connection)
            return nil
        }
        waiter?.resume(returning: .connection(connection))
    }

    /// A connection went away: hand its slot to a waiter, or give it back.
    private func slotFreed() {
        let waiter: CheckedContinuation<Grant?, Never>? = self.state.withLock { state in
            if !state.waiters.isEmpty, !state.closed { return state.waiters.removeFirst() }
            state.open -= 1
            return nil
        }
        waiter?.resume(returning: .mayConnect)
    }

    /// Closes idle connections and stops the threads; later calls fail with `storage.unavailable`.
    func close() async {
        let waiters: [CheckedContinuation<Grant?, Never>] = self.state.withLock { state in
            state.closed = true
            // Dropping the idle connections closes them (LibPQConnection.deinit).
            state.open -= state.idle.count
            state.idle.removeAll()
            defer { state.waiters.removeAll() }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: nil) }
        try? await self.threads.shutdownGracefully()
    }
}
