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
        /// The rules `detection` was compiled from, so a refresh that finds them unchanged keeps
        /// the engine and its correlation windows.
        var ruleVersions: [String]
        var correlator: IncidentCorrelator
        var checkedAt: ContinuousClock.Instant
    }

    /// An org's lead and Sigma rules as stored. Classification rules are not the engine's: artifacts
    /// arrive classified (`ClassifyingSink`, at ingestion), so a classification edit does not
    /// recompile the engine and reset its correlation windows.
    private struct StoredRules {
        var leads: [LeadRule]
        var sigma: [SigmaRule]

        /// Each rule's family, id, switch and last change: equal lists mean the same rules.
        var versions: [String] {
            (self.leads.map { Self.version(of: $0) } + self.sigma.map { Self.version(of: $0) }).sorted()
        }

        private static func version<Rule: DetectionRule>(of rule: Rule) -> String {
            "\(Rule.kind.rawValue) \(rule.id.rawValue) \(rule.enabled) \(rule.updatedAt.timeIntervalSince1970)"
        }
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
        // Detection first, for the whole batch, so the graph store is asked for node flags once
        // per org rather than once per firing event.
        var fired: [(event: GraphEvent, artifact: Artifact, detections: [Detection])] = []
        var nodesByOrg: [Org.ID: Set<Node.ID>] = [:]
        for message in messages {
            let event = try message.decode(GraphEvent.self)
            let org = event.artifact.orgID
            try await self.prepare(org)
            // The org's state is changed in place (never copied out and written back), so its open
            // incidents and windows are not copied per event, and a call that interleaves at an
            // await sees every change made before it.
            let artifact = event.artifact
            let detections = self.orgs[org]?.detection.evaluate(artifact) ?? []
            guard !detections.isEmpty else { continue }
            fired.append((event, artifact, detections))
            nodesByOrg[org, default: []].formUnion(event.nodeIDs)
        }
        var flags: [Org.ID: [Node.ID: NodeFlags]] = [:]
        for (org, nodes) in nodesByOrg { flags[org] = try await self.flags(of: Array(nodes), in: org) }

        var changed: [Incident.ID: IncidentCorrelator.Change] = [:]
        var order: [Incident.ID] = []
        for (event, artifact, detections) in fired {
            let org = artifact.orgID
            var context = LeadContext(artifact, flags: flags[org] ?? [:])
            context.edges = event.edgeIDs
            for change in self.orgs[org]?.correlator.correlate(detections, in: artifact, context: context) ?? [] {
                if changed[change.incident.id] == nil { order.append(change.incident.id) }
                changed[change.incident.id] = change.following(changed[change.incident.id])
            }
        }
        guard !changed.isEmpty else { return [] }
        let views = order.compactMap { changed[$0] }
        let stored = try await self.incidents.saveKeepingWorkflow(views.map(\.incident))
        var events: [IncidentEvent] = []
        for incident in stored {
            guard let change = changed[incident.id] else { continue }
            // An analyst changed status or assignee since the correlator last saw it: later leads
            // build on the analyst's version (and a closed incident takes no more).
            if incident.status != change.incident.status || incident.assignee != change.incident.assignee {
                self.orgs[incident.orgID]?.correlator.update(incident)
            }
            events.append(
                IncidentEvent(
                    kind: IncidentEvent.Kind(rawValue: change.kind.rawValue) ?? .updated, incident: incident,
                    activities: change.activities))
        }
        try await self.bus.publish(try events.map(BusMessage.incidentEvent))
        return events
    }

    private func flags(of nodes: [Node.ID], in org: Org.ID) async throws -> [Node.ID: NodeFlags] {
        guard !nodes.isEmpty else { return [:] }
        let found = try await self.graph.nodes(nodes, in: org)
        return Dictionary(found.map { ($0.id, $0.flags) }, uniquingKeysWith: { first, _ in first })
    }

    /// Loads an org's rules and open incidents the first time it is seen; afterwards reads its
    /// rules again every `ruleRefresh` and recompiles only when they changed.
    private func prepare(_ org: Org.ID) async throws {
        let now = ContinuousClock.now
        if let checkedAt = self.orgs[org]?.checkedAt {
            guard now - checkedAt >= self.ruleRefresh else { return }
            let rules = try await self.storedRules(of: org)
            let versions = rules.versions
            self.orgs[org]?.checkedAt = now
            guard versions != self.orgs[org]?.ruleVersions else { return }
            self.orgs[org]?.detection = self.compile(rules, of: org)
            self.orgs[org]?.ruleVersions = versions
            return
        }
        let open = try await Page.all { page in
            try await self.incidents.search(IncidentQuery(statuses: [.new, .investigating], page: page), in: org)
        }
        let rules = try await self.storedRules(of: org)
        let detection = self.compile(rules, of: org)
        self.logger.info(
            "incident engine loaded an org",
            metadata: [
                "org": "\(org)", "lead_rules": "\(detection.leadRuleCount)",
                "sigma_rules": "\(detection.sigmaRuleCount)",
                "open_incidents": "\(open.count)",
            ])
        self.orgs[org] = OrgState(
            detection: detection, ruleVersions: rules.versions,
            correlator: IncidentCorrelator(configuration: self.configuration, openIncidents: open), checkedAt: now)
    }

    private func storedRules(of org: Org.ID) async throws -> StoredRules {
        StoredRules(
            leads: try await Page.all { try await self.rules.rules(LeadRule.self, in: org, page: $0) },
            sigma: try await Page.all { try await self.rules.rules(SigmaRule.self, in: org, page: $0) })
    }

    private func compile(_ rules: StoredRules, of org: Org.ID) -> DetectionEngine {
        let engine = DetectionEngine(leadRules: rules.leads, sigmaRules: rules.sigma)
        for problem in engine.problems {
            self.logger.warning("rule not loaded", metadata: ["org": "\(org)", "problem": "\(problem)"])
        }
        return engine
    }
}
