import CoreMetrics
import Logging
import ServiceLifecycle
import WFAMessaging

/// Publishes the bus's state on `/metrics` every `interval`: each consumer's backlog (its lag, in
/// messages) and redeliveries in progress, and the dead letters waiting for an operator.
struct BusMetricsService: Service {
    let bus: any Bus
    let consumers: [(topic: BusTopic, name: String)]
    let factory: any MetricsFactory
    var interval: Duration = .seconds(5)
    let logger: Logger

    func run() async throws {
        let dead = Gauge(label: "wfa_bus_dead_letters", factory: self.factory)
        let gauges = self.consumers.map { consumer in
            let dimensions = [("topic", consumer.topic.name), ("consumer", consumer.name)]
            return (
                consumer,
                backlog: Gauge(label: "wfa_bus_backlog", dimensions: dimensions, factory: self.factory),
                redelivering: Gauge(label: "wfa_bus_redelivering", dimensions: dimensions, factory: self.factory)
            )
        }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    for (consumer, backlog, redelivering) in gauges {
                        let status = try await self.bus.status(of: consumer.topic, consumer: consumer.name)
                        backlog.record(status.backlog)
                        redelivering.record(status.redelivering)
                    }
                    dead.record(try await self.bus.deadLetterCount())
                } catch {
                    self.logger.debug("bus metrics unavailable", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: self.interval)
            }
        }
    }
}
