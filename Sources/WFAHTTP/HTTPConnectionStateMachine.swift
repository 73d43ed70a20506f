/// Decides, for one HTTP/1.1 connection, when timers run and when the connection closes.
///
/// The idle timer runs only between requests: from the end of one response (or the connection's
/// start) until the next request head is complete. A peer that trickles a request head byte by byte
/// (slowloris) never completes one, so the idle timer closes it. The read timer bounds the time from
/// a head to the end of its body. Neither runs while the application is producing a response.
struct HTTPConnectionStateMachine {
    enum State: Equatable {
        case idle
        case readingRequest
        case responding
        case closed
    }

    enum Action: Equatable {
        case none
        case startIdleTimer
        case startReadTimer
        case cancelTimers
        /// The response head must say `Connection: close`.
        case markResponseClosing
        case close
    }

    private(set) var state = State.idle
    private(set) var isQuiescing = false

    /// The connection became active: wait for the first request.
    mutating func connectionStarted() -> Action {
        self.state == .idle ? .startIdleTimer : .none
    }

    mutating func requestHeadReceived() -> Action {
        guard self.state == .idle else { return .none }
        self.state = .readingRequest
        return .startReadTimer
    }

    mutating func requestEndReceived() -> Action {
        guard self.state == .readingRequest else { return .none }
        self.state = .responding
        return .cancelTimers
    }

    mutating func responseHeadSent() -> Action {
        self.isQuiescing ? .markResponseClosing : .none
    }

    mutating func responseEndSent() -> Action {
        guard self.state != .closed else { return .none }
        if self.isQuiescing {
            self.state = .closed
            return .close
        }
        // A response may end before its request did (an early 413): the connection closes then anyway.
        self.state = .idle
        return .startIdleTimer
    }

    mutating func idleTimerFired() -> Action {
        guard self.state == .idle else { return .none }
        self.state = .closed
        return .close
    }

    mutating func readTimerFired() -> Action {
        guard self.state == .readingRequest else { return .none }
        self.state = .closed
        return .close
    }

    /// The server is shutting down: close now if nothing is in flight, else after the current response.
    mutating func quiesceRequested() -> Action {
        self.isQuiescing = true
        guard self.state == .idle else { return .none }
        self.state = .closed
        return .close
    }
}
