import Foundation
import Synchronization
import Testing
import WFAMessaging
import WFATestSupport

/// What only a bus across processes must do: survive the server and its own consumers going away.
@Suite struct JetStreamBusTests {
    @Test("nats-server killed and restarted while messages are being published: nothing is lost")
    func survivesServerRestart() async throws {
        try await BusHarness.withBus(.jetStream) { bus, server in
            let server = try #require(server)
            let received = Received()
            // A short ack wait: a batch whose acknowledgement died with the server comes back soon.
            let configuration = ConsumerConfiguration(name: "graph", batchSize: 50, acknowledgementWait: .seconds(2))
            try await bus.declare(.artifacts, consumer: configuration)
            let consumer = RunningConsumer(bus, configuration) { await received.add($0) }
            // Publishes keep going through the restart, retrying as the ingestion sink does; some
            // are in flight when the server dies.
            let publisher = Task {
                for batch in 0..<60 {
                    let messages = BusHarness.messages(200, prefix: "b\(batch)-")
                    let deadline = ContinuousClock.now + .seconds(30)
                    while true {
                        do {
                            try await bus.publish(messages)
                            break
                        } catch  where ContinuousClock.now < deadline {
                            try await Task.sleep(for: .milliseconds(100))
                        }
                    }
                }
            }
            try await Task.sleep(for: .milliseconds(200))
            server.stop()
            try await server.start()
            try await publisher.value
            let distinct = try await received.waitForDistinct(12_000, timeout: .seconds(30))
            await consumer.stop()
            #expect(distinct.count == 12_000)
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

    @Test("a durable consumer an older wfa left with other settings is brought to the new ones")
    func updatesExistingConsumer() async throws {
        try await BusHarness.withBus(.jetStream) { bus, _ in
            try await bus.declare(.artifacts, consumer: ConsumerConfiguration(name: "graph", batchSize: 10))
            try await bus.publish(BusHarness.messages(10))
            // A bigger batch asks the server for more unacknowledged messages in flight.
            let wider = ConsumerConfiguration(name: "graph", batchSize: 1_000)
            try await bus.declare(.artifacts, consumer: wider)
            let received = Received()
            let consumer = RunningConsumer(bus, wider) { await received.add($0) }
            #expect(try await received.waitFor(10, timeout: .seconds(10)).count == 10)
            await consumer.stop()
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
