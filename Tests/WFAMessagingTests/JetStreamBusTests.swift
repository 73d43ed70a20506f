import Foundation
import Synchronization
import Testing
import WFAMessaging
import WFATestSupport

/// What only a bus across processes must do: survive the server and its own consumers going away.
@Suite struct JetStreamBusTests {
    @Test("after nats-server is killed and restarted, publishing and consuming go on with nothing lost")
    func survivesServerRestart() async throws {
        try await BusHarness.withBus(.jetStream) { bus, server in
            let server = try #require(server)
            let received = Received()
            try await bus.declare(.artifacts, consumer: ConsumerConfiguration(name: "graph", batchSize: 50))
            let consumer = RunningConsumer(bus, ConsumerConfiguration(name: "graph", batchSize: 50)) {
                await received.add($0)
            }
            try await bus.publish(BusHarness.messages(100, prefix: "before"))
            _ = try await received.waitFor(100)

            server.stop()
            try server.start()
            // The publisher retries until the connection is back, as the ingestion sink does.
            let after = BusHarness.messages(100, prefix: "after")
            let deadline = ContinuousClock.now + .seconds(20)
            while true {
                do {
                    try await bus.publish(after)
                    break
                } catch  where ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(100))
                }
            }
            let messages = try await received.waitFor(200, timeout: .seconds(20))
            await consumer.stop()
            #expect(Set(messages.map(\.id)).count == 200)
        }
    }

    @Test("a message taken by a consumer that dies before acknowledging is delivered again")
    func redeliversUnacknowledged() async throws {
        try await BusHarness.withBus(.jetStream) { bus, _ in
            try await bus.publish(BusHarness.messages(5))
            let configuration = ConsumerConfiguration(
                name: "graph", batchSize: 5, acknowledgementWait: .seconds(1))
            let taken = Received()
            // This consumer takes the batch and hangs, like a process stopped mid-write.
            let hung = RunningConsumer(bus, configuration) { batch in
                await taken.add(batch)
                try await Task.sleep(for: .seconds(3_600))
            }
            _ = try await taken.waitFor(5)
            let received = Received()
            let replacement = RunningConsumer(bus, configuration) { await received.add($0) }
            let messages = try await received.waitFor(5, timeout: .seconds(10))
            hung.task.cancel()
            await replacement.stop()
            #expect(messages.map(\.id).sorted() == BusHarness.messages(5).map(\.id).sorted())
        }
    }

    @Test("a second bus in another process sees the same streams and durable consumer")
    func sharedAcrossConnections() async throws {
        try await BusHarness.withBus(.jetStream) { bus, server in
            let server = try #require(server)
            try await bus.publish(BusHarness.messages(10))
            let other = try JetStreamBus(configuration: .init(url: server.url, connectionName: "wfa-other"))
            let received = Received()
            let consumer = RunningConsumer(other, ConsumerConfiguration(name: "graph")) { await received.add($0) }
            #expect(try await received.waitFor(10).count == 10)
            await consumer.stop()
            try await other.shutdown()
        }
    }
}

@Suite struct InProcessBusTests {
    @Test("a full topic makes publishers wait until the consumer catches up")
    func publishWaitsWhenFull() async throws {
        let bus = InProcessBus(capacity: 100)
        try await bus.declare(.artifacts, consumer: ConsumerConfiguration(name: "graph", batchSize: 25))
        let published = Mutex(0)
        let publisher = Task {
            for batch in 0..<10 {
                try await bus.publish(BusHarness.messages(50, prefix: "b\(batch)-"))
                published.withLock { $0 += 50 }
            }
        }
        try await Task.sleep(for: .milliseconds(300))
        // Nobody consumes yet: the bus holds at most its capacity (plus the batch in hand).
        #expect(published.withLock { $0 } <= 150)
        let received = Received()
        let consumer = RunningConsumer(bus, ConsumerConfiguration(name: "graph", batchSize: 25)) {
            await received.add($0)
        }
        #expect(try await received.waitFor(500).count == 500)
        try await publisher.value
        await consumer.stop()
    }
}
