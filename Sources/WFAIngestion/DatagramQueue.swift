import Synchronization

/// A bounded queue between the UDP socket's event loop and the task that parses datagrams.
///
/// UDP cannot slow a sender down, so when the parser falls behind the queue refuses new
/// datagrams (the caller counts them as dropped) instead of growing. The consumer takes
/// everything queued at once, which batches the writes downstream.
final class DatagramQueue: Sendable {
    struct Datagram: Sendable {
        var bytes: [UInt8]
        var peer: String
    }

    private struct State {
        var items: [Datagram] = []
        var waiter: CheckedContinuation<[Datagram]?, Never>?
        var finished = false
    }

    let capacity: Int
    private let state = Mutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    /// Queues a datagram; false when the queue is full (or finished) and it was dropped.
    func push(_ datagram: Datagram) -> Bool {
        let (accepted, waiter) = self.state.withLock { state -> (Bool, CheckedContinuation<[Datagram]?, Never>?) in
            guard !state.finished else { return (false, nil) }
            if let waiter = state.waiter {
                state.waiter = nil
                return (true, waiter)
            }
            guard state.items.count < self.capacity else { return (false, nil) }
            state.items.append(datagram)
            return (true, nil)
        }
        waiter?.resume(returning: [datagram])
        return accepted
    }

    /// Everything queued, waiting for at least one datagram; nil once finished and drained.
    func next() async -> [Datagram]? {
        await withCheckedContinuation { continuation in
            let ready = self.state.withLock { state -> [Datagram]?? in
                if !state.items.isEmpty {
                    defer { state.items.removeAll(keepingCapacity: true) }
                    return .some(state.items)
                }
                if state.finished { return .some(nil) }
                state.waiter = continuation
                return .none
            }
            if let ready { continuation.resume(returning: ready) }
        }
    }

    /// No more datagrams will come; a waiting consumer gets nil.
    func finish() {
        let waiter = self.state.withLock { state in
            state.finished = true
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume(returning: nil)
    }
}
