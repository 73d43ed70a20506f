import Testing

@testable import WFAHTTP

struct HTTPConnectionStateMachineTests {
    /// The idle timer runs until a request head is complete, so a trickled head is cut off.
    @Test("a new connection waits for its first request under the idle timer")
    func newConnectionStartsIdleTimer() {
        var machine = HTTPConnectionStateMachine()
        #expect(machine.connectionStarted() == .startIdleTimer)
        #expect(machine.idleTimerFired() == .close)
        #expect(machine.state == .closed)
    }

    @Test("a request runs the read timer until its end, then no timer while the response is produced")
    func requestLifecycle() {
        var machine = HTTPConnectionStateMachine()
        _ = machine.connectionStarted()
        #expect(machine.requestHeadReceived() == .startReadTimer)
        #expect(machine.requestEndReceived() == .cancelTimers)
        #expect(machine.idleTimerFired() == .none, "the idle timer never fires mid-response")
        #expect(machine.readTimerFired() == .none)
        #expect(machine.responseHeadSent() == .none)
        #expect(machine.responseEndSent() == .startIdleTimer)
        #expect(machine.state == .idle)
    }

    @Test("a body that does not arrive in time closes the connection")
    func slowBodyCloses() {
        var machine = HTTPConnectionStateMachine()
        _ = machine.requestHeadReceived()
        #expect(machine.readTimerFired() == .close)
    }

    @Test("quiescing closes an idle connection at once")
    func quiesceWhileIdleCloses() {
        var machine = HTTPConnectionStateMachine()
        _ = machine.connectionStarted()
        #expect(machine.quiesceRequested() == .close)
    }

    @Test("quiescing mid-request lets the response finish, marked Connection: close, then closes")
    func quiesceMidRequestDrains() {
        var machine = HTTPConnectionStateMachine()
        _ = machine.requestHeadReceived()
        #expect(machine.quiesceRequested() == .none)
        #expect(machine.requestEndReceived() == .cancelTimers)
        #expect(machine.responseHeadSent() == .markResponseClosing)
        #expect(machine.responseEndSent() == .close)
        #expect(machine.state == .closed)
    }
}
