import Foundation
public import Logging
public import ServiceLifecycle
public import WFACore
import WFADetection
public import WFAMessaging
public import WFAStorage

/// The incident-engine role: takes graph events off the bus, runs each org's rules on the
/// artifact as it streams, correlates what fires into incidents, stores them and publishes
/// incident events. A batch is acknowledged only after its incidents are stored and announced.
public actor IncidentEngine: Service {
    /// The durable consumer it runs as.
    public static let consumer = ConsumerConfiguration(name: "incident-engine", batchSize: 256)

    /// One org's compiled rules and open incidents.
    private struct OrgState {
        var detection: DetectionEngine
        var correlator: IncidentCorrelator
        var loadedAt: ContinuousClock.Instant
    }

    let bus: any Bus
    let rules: any RuleStore
    let incidents: any IncidentStore
    let graph: any GraphStore
    let configuration: IncidentCorrelator.Configuration
    /// How often an org's rules are read again, so edits take effect without a restart.
    let ruleRefresh: Duration
    let logger: Logger
    private var orgs: [Org.ID: OrgState] = [:]

    public init(
        bus: any Bus, rules: any RuleStore, incidents: any IncidentStore, graph: any GraphStore,
        configuration: IncidentCorrelator.Configuration = .init(), ruleRefresh: Duration = .seconds(30),
        logger: Logger
    ) {
        self.bus = bus
        self.rules = rules
        self.incidents = incidents
        self.graph = graph
        self.configuration = configuration
        self.ruleRefresh = ruleRefresh
        self.logger = logger
    }

    public func run() async throws {
        try await self.bus.declare(.graph, consumer: Self.consumer)
        try await cancelWhenGracefulShutdown {
            try await self.bus.consume(.graph, as: Self.consumer) { messages in
                try await self.process(messages)
            }
        }
    }

    /// Detects, correlates, stores and announces one batch of graph events.
    /// - Returns: the incident events it published.
    @discardableResult
    public func process(_ messages: [BusMessage]) async throws -> [IncidentEvent] {
        var changed: [Incident.ID: IncidentCorrelator.Change] = [:]
        var order: [Incident.ID] = []
        for message in messages {
            let event = try message.decode(GraphEvent.self)
            let org = event.artifact.orgID
            var state = try await self.state(for: org)
            var artifact = event.artifact
            state.detection.classify(&artifact)
            let detections = state.detection.evaluate(artifact)
            if !detections.isEmpty {
                let flags = try await self.flags(of: event.nodeIDs, in: org)
                var context = LeadContext(artifact, flags: flags)
                context.edges = event.edgeIDs
                for change in state.correlator.correlate(detections, in: artifact, context: context) {
                    if changed[change.incident.id] == nil { order.append(change.incident.id) }
                    changed[change.incident.id] = change.following(changed[change.incident.id])
                }
            }
            self.orgs[org] = state
        }
        guard !changed.isEmpty else { return [] }
        var events: [IncidentEvent] = []
        var stored: [Incident] = []
        for id in order {
            guard let change = changed[id] else { continue }
            let incident = try await self.keepingAnalystChanges(change.incident)
            stored.append(incident)
            events.append(
                IncidentEvent(kind: IncidentEvent.Kind(rawValue: change.kind.rawValue) ?? .updated, incident: incident))
        }
        try await self.incidents.save(stored)
        try await self.bus.publish(try events.map(BusMessage.incidentEvent))
        return events
    }

    /// The stored incident's workflow (status, assignee, notes) wins over the correlator's copy,
    /// which only knows what the leads said.
    private func keepingAnalystChanges(_ incident: Incident) async throws -> Incident {
        guard let stored = try await self.incidents.incident(incident.id, in: incident.orgID) else { return incident }
        var merged = incident
        merged.status = stored.status
        merged.assignee = stored.assignee
        merged.notes = stored.notes + merged.notes.filter { note in !stored.notes.contains { $0.id == note.id } }
        merged.createdAt = stored.createdAt
        if stored.status != incident.status || stored.assignee != incident.assignee {
            self.orgs[incident.orgID]?.correlator.update(merged)
        }
        return merged
    }

    private func flags(of nodes: [Node.ID], in org: Org.ID) async throws -> [Node.ID: NodeFlags] {
        guard !nodes.isEmpty else { return [:] }
        let found = try await self.graph.nodes(nodes, in: org)
        return Dictionary(found.map { ($0.id, $0.flags) }, uniquingKeysWith: { first, _ in first })
    }

    private func state(for org: Org.ID) async throws -> OrgState {
        let now = ContinuousClock.now
        if var state = self.orgs[org] {
            guard now - state.loadedAt >= self.ruleRefresh else { return state }
            state.detection = try await self.compileRules(of: org)
            state.loadedAt = now
            return state
        }
        let open = try await self.allPages { page in
            try await self.incidents.search(IncidentQuery(statuses: [.new, .investigating], page: page), in: org)
        }
        let state = OrgState(
            detection: try await self.compileRules(of: org),
            correlator: IncidentCorrelator(configuration: self.configuration, openIncidents: open), loadedAt: now)
        self.logger.info(
            "incident engine loaded an org",
            metadata: [
                "org": "\(org)", "classification_rules": "\(state.detection.classificationRuleCount)",
                "lead_rules": "\(state.detection.leadRuleCount)",
                "sigma_rules": "\(state.detection.sigmaRuleCount)", "open_incidents": "\(open.count)",
            ])
        return state
    }

    private func compileRules(of org: Org.ID) async throws -> DetectionEngine {
        let classification = try await self.allPages {
            try await self.rules.rules(ClassificationRule.self, in: org, page: $0)
        }
        let leads = try await self.allPages { try await self.rules.rules(LeadRule.self, in: org, page: $0) }
        let sigma = try await self.allPages { try await self.rules.rules(SigmaRule.self, in: org, page: $0) }
        let engine = DetectionEngine(classificationRules: classification, leadRules: leads, sigmaRules: sigma)
        for problem in engine.problems {
            self.logger.warning("rule not loaded", metadata: ["org": "\(org)", "problem": "\(problem)"])
        }
        return engine
    }

    private func allPages<Item>(_ fetch: (PageRequest) async throws -> Page<Item>) async throws -> [Item] {
        var items: [Item] = []
        var offset = 0
        while true {
            let page = try await fetch(PageRequest(limit: PageRequest.maximumLimit, offset: offset))
            items += page.items
            offset += page.items.count
            if page.items.isEmpty || offset >= page.total { return items }
        }
    }
}
