import Foundation
import Synchronization
import WFACore
import WFAIngestion

/// Keeps what it is given, and lets a test wait for a number of artifacts.
actor CollectingSink: ArtifactSink {
    private(set) var artifacts: [Artifact] = []
    private(set) var batches = 0

    func accept(_ artifacts: [Artifact]) async throws {
        self.artifacts += artifacts
        self.batches += 1
    }

    /// Waits (up to `timeout`) until at least `count` artifacts arrived; returns them all.
    func waitFor(_ count: Int, timeout: Duration = .seconds(20)) async throws -> [Artifact] {
        let deadline = ContinuousClock.now + timeout
        while self.artifacts.count < count, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        return self.artifacts
    }

    func raws() -> [String] { self.artifacts.map { String(decoding: $0.raw, as: UTF8.self) } }
}

/// A sink that holds every batch until the test opens it: a stand-in for a stalled store.
actor GatedSink: ArtifactSink {
    private var open = false
    private var waiters: [CheckedContinuation<Void, Never>] = []
    private(set) var accepted = 0
    private(set) var waiting = 0
    /// The size of each batch taken, in the order they passed the gate.
    private(set) var batches: [Int] = []

    func accept(_ artifacts: [Artifact]) async throws {
        if !self.open {
            self.waiting += 1
            await withCheckedContinuation { self.waiters.append($0) }
            self.waiting -= 1
        }
        self.accepted += artifacts.count
        self.batches.append(artifacts.count)
    }

    func openGate() {
        self.open = true
        for waiter in self.waiters { waiter.resume() }
        self.waiters = []
    }
}

/// A one-way switch tasks can flip and read.
final class Flag: Sendable {
    private let state = Mutex(false)
    var isSet: Bool { self.state.withLock { $0 } }
    func set() { self.state.withLock { $0 = true } }
}
