public import Foundation
public import Logging
public import ServiceLifecycle
public import WFACore
public import WFAMessaging

/// The dispatcher role: reads incident events off the bus and hands them to the hub, which pushes
/// them to the browsers of their org; sends every client a heartbeat every `heartbeat` interval.
/// The consumer acknowledges as soon as the hub took a batch: live updates are best effort
/// (a browser that was away reloads from the API), and the hub never waits on a browser.
public struct Dispatcher: Service {
    public static let consumer = ConsumerConfiguration(name: "dispatcher", batchSize: 256)

    let bus: any Bus
    public let hub: DispatchHub
    let heartbeat: Duration
    let logger: Logger

    public init(bus: any Bus, hub: DispatchHub, heartbeat: Duration = .seconds(15), logger: Logger) {
        self.bus = bus
        self.hub = hub
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public func run() async throws {
        try await self.bus.declare(.incidents, consumer: Self.consumer)
        let hub = self.hub
        let heartbeat = self.heartbeat
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        await hub.heartbeat()
                    }
                }
                group.addTask {
                    try await self.bus.consume(.incidents, as: Self.consumer) { messages in
                        await hub.publish(messages.compactMap { try? $0.decode(IncidentEvent.self) })
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
