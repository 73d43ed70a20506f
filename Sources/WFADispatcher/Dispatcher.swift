import Foundation
public import Logging
public import ServiceLifecycle
import Synchronization
import WFACore
public import WFAMessaging

/// The dispatcher role: reads incident events off the bus and hands them to the hub, which pushes
/// them to the browsers of their org; sends every client a heartbeat every `heartbeat` interval.
/// The consumer acknowledges as soon as the hub took a batch: live updates are best effort
/// (a browser that was away reloads from the API), and the hub never waits on a browser.
///
/// Every dispatcher process has a consumer of its own (`dispatcher-<instance>`): each must see
/// every incident event for its own browsers, where a shared durable consumer would split the
/// events between the processes. The consumer starts with new events (a browser has no use for
/// the past) and the bus removes it an hour after its process is gone.
public struct Dispatcher: Service {
    /// The consumer of the dispatcher process `instance`.
    public static func consumer(instance: String) -> ConsumerConfiguration {
        ConsumerConfiguration(
            name: "dispatcher-\(instance)", batchSize: 256, startsWithNewMessages: true,
            inactiveThreshold: .seconds(3_600))
    }

    let bus: any Bus
    public let hub: DispatchHub
    /// This process's consumer of incident events.
    public let consumer: ConsumerConfiguration
    let heartbeat: Duration
    /// How often gathered incident events go out to the browsers.
    let pace: Duration
    let logger: Logger

    /// - Parameter instance: names this process's consumer; a fresh random one by default, so a
    ///   restarted process starts clean and two processes never share one.
    public init(
        bus: any Bus, hub: DispatchHub, instance: String = Self.randomInstance(), heartbeat: Duration = .seconds(15),
        pace: Duration = .milliseconds(100), logger: Logger
    ) {
        self.pace = pace
        self.bus = bus
        self.hub = hub
        self.consumer = Self.consumer(instance: instance)
        self.heartbeat = heartbeat
        self.logger = logger
    }

    public static func randomInstance() -> String {
        String(UUID().uuidString.prefix(8)).lowercased()
    }

    public func run() async throws {
        try await self.bus.declare(.incidents, consumer: self.consumer)
        let hub = self.hub
        let heartbeat = self.heartbeat
        let pace = self.pace
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: heartbeat)
                        await hub.heartbeat()
                    }
                }
                // Events are gathered and sent every `pace`, an incident's updates in that time as
                // one: a busy incident changes many times a second, and every update pushed is a
                // write to every browser watching.
                let pending = PendingIncidentEvents()
                group.addTask {
                    try await self.bus.consume(.incidents, as: self.consumer) { messages in
                        pending.add(
                            messages.compactMap { message in
                                // In one process the bus hands over the event itself; over NATS its
                                // headline is read from the document.
                                message.carriedValue(IncidentEvent.self).map(LiveIncidentEvent.init)
                                    ?? LiveIncidentEvent(document: message.payload)
                                    ?? (try? message.decode(IncidentEvent.self)).map(LiveIncidentEvent.init)
                            })
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: pace)
                        let events = pending.take()
                        if !events.isEmpty { await hub.publish(events) }
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}

/// Incident events waiting for the next send: one per incident, the latest state with every
/// change reported since the last send, in the order the incidents first changed.
final class PendingIncidentEvents: Sendable {
    private struct Gathered {
        var events: [Incident.ID: LiveIncidentEvent] = [:]
        var order: [Incident.ID] = []
    }

    private let gathered = Mutex(Gathered())

    func add(_ incoming: [LiveIncidentEvent]) {
        self.gathered.withLock { gathered in
            for event in incoming {
                let id = event.incident.id
                guard var earlier = gathered.events[id] else {
                    gathered.events[id] = event
                    gathered.order.append(id)
                    continue
                }
                // A creation stays a creation; the newest state wins; no change is forgotten.
                earlier.kind = earlier.kind == .created ? .created : event.kind
                earlier.incident = event.incident
                earlier.activities += event.activities
                gathered.events[id] = earlier
            }
        }
    }

    /// Everything gathered since the last call; empties the buffer.
    func take() -> [LiveIncidentEvent] {
        self.gathered.withLock { gathered in
            defer { gathered = Gathered() }
            return gathered.order.compactMap { gathered.events[$0] }
        }
    }
}
