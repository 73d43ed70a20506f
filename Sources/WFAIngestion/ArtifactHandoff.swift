import Synchronization
import WFACore

/// Artifacts parsed from one stream connection on their way to the sink: the connection's reader
/// adds what each read parsed, and its writer takes everything added since its last take.
///
/// While one batch is being stored the next one gathers, so a busy sink gets fewer, larger
/// batches (group commit) instead of one batch per socket read: at 10,000 events/s a read held
/// about 55 lines, and a COPY of 55 rows cost PostgreSQL nearly twice as much per row as one of
/// 1,000. The reader waits while ``capacity`` artifacts (or ``byteCapacity`` bytes of their raw
/// messages) are waiting, which stops reading the socket and so slows the sender instead of
/// growing memory.
final class ArtifactHandoff: Sendable {
    /// A reader waiting for room: resumed with nil to try again, or false once closed.
    private typealias Adder = CheckedContinuation<Bool?, Never>
    private typealias Taker = CheckedContinuation<[Artifact], Never>

    private struct State {
        var pending: [Artifact] = []
        var pendingBytes = 0
        var taker: Taker?
        var adders: [Adder] = []
        var finished = false
        var closed = false

        /// Takes the pending artifacts; the adders that waited for room are to be woken.
        mutating func takeAll() -> (batch: [Artifact], woken: [Adder]) {
            defer {
                self.pending = []
                self.pendingBytes = 0
                self.adders = []
            }
            return (self.pending, self.adders)
        }
    }

    let capacity: Int
    let byteCapacity: Int
    private let state = Mutex(State())

    init(capacity: Int, byteCapacity: Int) {
        self.capacity = max(1, capacity)
        self.byteCapacity = max(1, byteCapacity)
    }

    /// Hands `artifacts` on, first waiting while the writer has a full batch to take.
    /// - Returns: false when the writer has stopped (the connection is being torn down).
    @discardableResult
    func add(_ artifacts: [Artifact]) async -> Bool {
        guard !artifacts.isEmpty else { return true }
        while true {
            let outcome = await withCheckedContinuation { (adder: Adder) in
                let (result, handOff) = self.state.withLock { state -> (Bool??, (Taker, [Artifact], [Adder])?) in
                    if state.closed { return (.some(false), nil) }
                    guard state.pending.count < self.capacity, state.pendingBytes < self.byteCapacity else {
                        state.adders.append(adder)
                        return (nil, nil)
                    }
                    state.pending += artifacts
                    state.pendingBytes += artifacts.reduce(0) { $0 + $1.raw.count }
                    guard let taker = state.taker else { return (.some(true), nil) }
                    state.taker = nil
                    let (batch, woken) = state.takeAll()
                    return (.some(true), (taker, batch, woken))
                }
                if let (taker, batch, woken) = handOff {
                    taker.resume(returning: batch)
                    for other in woken { other.resume(returning: nil) }
                }
                if let result { adder.resume(returning: result) }
            }
            if let outcome { return outcome }
        }
    }

    /// Everything waiting, once there is something; empty once finished and drained.
    func next() async -> [Artifact] {
        await withCheckedContinuation { (taker: Taker) in
            let ready = self.state.withLock { state -> ([Artifact], [Adder])? in
                guard state.pending.isEmpty, !state.finished else { return state.takeAll() }
                state.taker = taker
                return nil
            }
            if let (batch, woken) = ready {
                taker.resume(returning: batch)
                for adder in woken { adder.resume(returning: nil) }
            }
        }
    }

    /// Nothing more will be added; the writer drains what is waiting, then gets an empty batch.
    func finish() {
        let taker = self.state.withLock { state -> Taker? in
            state.finished = true
            defer { state.taker = nil }
            return state.taker
        }
        taker?.resume(returning: [])
    }

    /// The writer stopped: a waiting or later ``add(_:)`` returns false at once.
    func close() {
        let adders = self.state.withLock { state -> [Adder] in
            state.closed = true
            defer { state.adders = [] }
            return state.adders
        }
        for adder in adders { adder.resume(returning: false) }
    }
}
