public import Foundation
public import WFACore
public import WFADetection

/// Turns detections into incidents: a lead joins the open incident keyed by one of its actors
/// within the window, else opens one; incidents that come to share an actor merge; the same rule on
/// the same actors within the window extends its lead (counted) instead of adding another.
///
/// A value type holding the open incidents of one org; the incident engine owns one per org and
/// stores every incident a call returns.
public struct IncidentCorrelator: Sendable {
    public struct Configuration: Sendable {
        /// How long after its last lead an incident still takes new ones.
        public var window: TimeInterval
        /// Reference lead-set names by id, for roles and lifecycle stages of catalog rules.
        public var leadSets: [String: String]
        /// Bounds on one incident, so a flood cannot grow a document without end; counts go on.
        public var maximumLeads: Int
        public var maximumNodes: Int

        public init(
            window: TimeInterval = 24 * 3600, leadSets: [String: String] = [:], maximumLeads: Int = 500,
            maximumNodes: Int = 500
        ) {
            self.window = window
            self.leadSets = leadSets
            self.maximumLeads = maximumLeads
            self.maximumNodes = maximumNodes
        }
    }

    /// What a call changed: every incident to store, the kind of change, and merges.
    public struct Change: Sendable, Hashable {
        public enum Kind: String, Sendable, Hashable {
            case created, updated, merged
        }

        public var kind: Kind
        public var incident: Incident
        /// For `merged`: the incident it now lives on in.
        public var survivor: Incident.ID?
        /// The audit entries this change added (created, severity changed, merged).
        public var activities: [IncidentActivity] = []

        /// This change as the net effect after `earlier` to the same incident: an incident created
        /// earlier in the same batch is announced as created, in its latest state, with every
        /// audit entry of both.
        public func following(_ earlier: Change?) -> Change {
            var net = self
            if earlier?.kind == .created { net.kind = .created }
            net.activities = (earlier?.activities ?? []) + self.activities
            return net
        }
    }

    public let configuration: Configuration
    private var open: [Incident.ID: Incident] = [:]
    private var facts: [Incident.ID: IncidentScore.Facts] = [:]
    /// Actor node → the open incident it keys, and the reverse.
    private var actorIndex: [Node.ID: Incident.ID] = [:]
    private var actorsOf: [Incident.ID: Set<Node.ID>] = [:]
    /// Any other node → the open incidents that name it (for a compromised target acting next).
    private var nodeIndex: [Node.ID: Set<Incident.ID>] = [:]
    /// Artifact+rule pairs already correlated, so a redelivered event does not count twice.
    private var recent = RecentSet(capacity: 200_000)
    private var latest = Date.distantPast

    public init(configuration: Configuration = Configuration(), openIncidents: [Incident] = []) {
        self.configuration = configuration
        for incident in openIncidents where !incident.status.isTerminal && incident.mergedInto == nil {
            // A lead names its actors first.
            self.index(incident, actors: incident.leads.compactMap(\.nodeIDs.first))
        }
    }

    public var openIncidentCount: Int { self.open.count }

    /// Correlates the detections of one artifact.
    public mutating func correlate(_ detections: [Detection], in artifact: Artifact, context: LeadContext)
        -> [Change]
    {
        var changes: [Incident.ID: Change] = [:]
        let time = artifact.timestamp
        if time > self.latest { self.latest = time }
        for detection in detections {
            guard self.recent.insert("\(artifact.id.rawValue)|\(detection.ruleID)") else { continue }
            let lead = self.lead(for: detection, in: artifact, context: context)
            var candidates = Set(context.keys.compactMap { self.actorIndex[$0] }).filter { self.isOpen($0, at: time) }
            if candidates.isEmpty {
                // A node named by exactly one incident that now acts (a compromised target) continues it.
                let named = Set(context.keys.flatMap { self.nodeIndex[$0] ?? [] }).filter { self.isOpen($0, at: time) }
                if named.count == 1 { candidates = named }
            }
            var incident: Incident
            var kind = Change.Kind.updated
            let oldest = candidates.compactMap { self.open[$0] }.min { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
            var recorded = 0
            if let survivorID = oldest?.id, var survivor = oldest {
                recorded = survivor.history.count
                for absorbedID in candidates where absorbedID != survivorID {
                    guard var absorbed = self.open[absorbedID] else { continue }
                    let before = absorbed.history.count
                    self.absorb(&absorbed, into: &survivor, at: artifact.receivedAt)
                    changes[absorbedID] = Change(
                        kind: .merged, incident: absorbed, survivor: survivorID,
                        activities: Array(absorbed.history[before...]))
                }
                incident = survivor
            } else {
                incident = Incident(
                    orgID: artifact.orgID, title: detection.ruleName, severity: detection.severity,
                    firstObservedAt: time, lastObservedAt: time, createdAt: artifact.receivedAt,
                    history: [IncidentActivity(.created, by: IncidentActivity.engine, at: artifact.receivedAt)])
                kind = .created
            }
            let severity = incident.severity
            self.add(lead, detection: detection, context: context, to: &incident)
            if kind != .created && incident.severity != severity {
                incident.history.append(
                    IncidentActivity(
                        .severityChanged, by: IncidentActivity.engine, at: artifact.receivedAt,
                        from: severity.rawValue, to: incident.severity.rawValue))
            }
            self.index(incident, actors: context.keys)
            changes[incident.id] = Change(
                kind: kind, incident: incident, survivor: nil, activities: Array(incident.history[recorded...])
            ).following(changes[incident.id])
        }
        self.forgetStale()
        return changes.values.sorted {
            ($0.kind == .merged ? 0 : 1, $0.incident.id) < ($1.kind == .merged ? 0 : 1, $1.incident.id)
        }
    }

    /// Takes an analyst's change (status, assignee, notes) so later leads build on it; an incident
    /// that is resolved or closed takes no more leads.
    public mutating func update(_ incident: Incident) {
        if incident.status.isTerminal || incident.mergedInto != nil {
            self.remove(incident.id)
        } else if self.open[incident.id] != nil {
            self.index(incident, actors: [])
        }
    }

    // MARK: Building incidents

    private func lead(for detection: Detection, in artifact: Artifact, context: LeadContext) -> Lead {
        let set = detection.clientSetID ?? detection.serverSetID
        return Lead(
            artifactID: artifact.id, ruleID: detection.ruleID, ruleName: detection.ruleName,
            ruleKind: detection.ruleKind, nodeIDs: Array(context.nodes.prefix(32)), setID: set,
            role: set.flatMap { self.configuration.leadSets[$0] } ?? "actor",
            severity: detection.severity, observedAt: artifact.timestamp,
            count: max(1, detection.correlatedArtifactIDs.count))
    }

    private mutating func add(
        _ lead: Lead, detection: Detection, context: LeadContext, to incident: inout Incident
    ) {
        let actors = Set(context.actors)
        if let existing = incident.leads.firstIndex(where: {
            $0.ruleID == lead.ruleID && Set($0.nodeIDs.prefix(actors.count)) == actors
        }) {
            incident.leads[existing].count += lead.count
            incident.leads[existing].observedAt = max(incident.leads[existing].observedAt, lead.observedAt)
        } else if incident.leads.count < self.configuration.maximumLeads {
            incident.leads.append(lead)
        } else if let last = incident.leads.indices.last {
            incident.leads[last].count += lead.count
        }
        Self.append(context.nodes, to: &incident.nodeIDs, upTo: self.configuration.maximumNodes)
        Self.append(context.edges, to: &incident.edgeIDs, upTo: self.configuration.maximumNodes)
        Self.append(detection.attackTechniques, to: &incident.mitreTechniques)
        var facts = self.facts[incident.id] ?? IncidentScore.Facts()
        for node in context.nodes {
            if context.flags[node]?.managed == true { facts.managed.insert(node) }
            if context.flags[node]?.internal == true { facts.internal.insert(node) }
        }
        for actor in context.actors where context.flags[actor]?.trusted == true { facts.trustedActors.insert(actor) }
        for tactic in detection.tactics { if let stage = LifecycleStage(tactic: tactic) { facts.stages.insert(stage) } }
        for set in [detection.clientSetID, detection.serverSetID].compactMap({ $0 }) {
            if let name = self.configuration.leadSets[set], let stage = LifecycleStage(leadSet: name) {
                facts.stages.insert(stage)
            }
        }
        self.facts[incident.id] = facts
        incident.firstObservedAt = min(incident.firstObservedAt, lead.observedAt)
        incident.lastObservedAt = max(incident.lastObservedAt, lead.observedAt)
        incident.updatedAt = max(incident.updatedAt, lead.observedAt)
        self.rescore(&incident, actors: context.actors)
    }

    private mutating func rescore(_ incident: inout Incident, actors: [Node.ID]) {
        let facts = self.facts[incident.id] ?? IncidentScore.Facts()
        let score = IncidentScore(leads: incident.leads, techniques: incident.mitreTechniques, facts: facts)
        incident.suspicionScore = score.value
        incident.scoreReasons = score.reasons
        incident.severity = max(incident.leads.map(\.severity).max() ?? .informational, score.severity)
        incident.lifecycleStage = facts.stages.max { $0.order < $1.order }
        let primary = incident.leads.max { ($0.severity, $0.count) < ($1.severity, $1.count) }
        let actor = incident.leads.first?.nodeIDs.first.map(Self.displayName)
        let others = Set(incident.leads.map(\.ruleID)).count - 1
        incident.title =
            (primary?.ruleName ?? "Incident") + (actor.map { " from \($0)" } ?? "")
            + (others > 0 ? " (+\(others) more rule\(others == 1 ? "" : "s"))" : "")
    }

    private mutating func absorb(_ absorbed: inout Incident, into survivor: inout Incident, at time: Date) {
        for lead in absorbed.leads {
            if let existing = survivor.leads.firstIndex(where: {
                $0.ruleID == lead.ruleID && $0.nodeIDs == lead.nodeIDs
            }) {
                survivor.leads[existing].count += lead.count
            } else if survivor.leads.count < self.configuration.maximumLeads {
                survivor.leads.append(lead)
            }
        }
        Self.append(absorbed.nodeIDs, to: &survivor.nodeIDs, upTo: self.configuration.maximumNodes)
        Self.append(absorbed.edgeIDs, to: &survivor.edgeIDs, upTo: self.configuration.maximumNodes)
        Self.append(absorbed.mitreTechniques, to: &survivor.mitreTechniques)
        survivor.notes += absorbed.notes
        survivor.firstObservedAt = min(survivor.firstObservedAt, absorbed.firstObservedAt)
        survivor.lastObservedAt = max(survivor.lastObservedAt, absorbed.lastObservedAt)
        if let theirs = self.facts[absorbed.id] { self.facts[survivor.id, default: .init()].formUnion(theirs) }
        absorbed.mergedInto = survivor.id
        absorbed.history.append(
            IncidentActivity(.merged, by: IncidentActivity.engine, at: time, to: survivor.id.rawValue))
        absorbed.updatedAt = max(absorbed.updatedAt, survivor.lastObservedAt)
        let actors = self.actorsOf[absorbed.id] ?? []
        self.remove(absorbed.id)
        self.index(survivor, actors: Array(actors))
    }

    // MARK: Index

    private func isOpen(_ id: Incident.ID, at time: Date) -> Bool {
        guard let incident = self.open[id] else { return false }
        return abs(time.timeIntervalSince(incident.lastObservedAt)) <= self.configuration.window
            || (time >= incident.firstObservedAt && time <= incident.lastObservedAt)
    }

    private mutating func index(_ incident: Incident, actors: [Node.ID]) {
        self.open[incident.id] = incident
        for actor in actors {
            self.actorIndex[actor] = incident.id
            self.actorsOf[incident.id, default: []].insert(actor)
        }
        for node in incident.nodeIDs { self.nodeIndex[node, default: []].insert(incident.id) }
    }

    private mutating func remove(_ id: Incident.ID) {
        guard let incident = self.open.removeValue(forKey: id) else { return }
        self.facts[id] = nil
        for actor in self.actorsOf.removeValue(forKey: id) ?? [] where self.actorIndex[actor] == id {
            self.actorIndex[actor] = nil
        }
        for node in incident.nodeIDs {
            self.nodeIndex[node]?.remove(id)
            if self.nodeIndex[node]?.isEmpty == true { self.nodeIndex[node] = nil }
        }
    }

    /// Incidents whose window closed take no more leads; they leave memory (the store keeps them).
    private mutating func forgetStale() {
        guard self.open.count > 1_000 else { return }
        let horizon = self.latest.addingTimeInterval(-self.configuration.window)
        for (id, incident) in self.open where incident.lastObservedAt < horizon { self.remove(id) }
    }

    /// Appends the items `list` does not have yet, while it holds fewer than `limit`.
    private static func append<Item: Equatable>(_ items: [Item], to list: inout [Item], upTo limit: Int = .max) {
        for item in items where !list.contains(item) {
            guard list.count < limit else { return }
            list.append(item)
        }
    }

    static func displayName(_ node: Node.ID) -> String {
        let raw = node.rawValue
        guard let colon = raw.firstIndex(of: ":") else { return raw }
        return String(raw[raw.index(after: colon)...])
    }
}

/// A bounded set of recent keys: remembers the last `capacity` insertions.
struct RecentSet: Sendable {
    private var members: Set<String> = []
    private var order: [String] = []
    private var head = 0
    let capacity: Int

    init(capacity: Int) {
        self.capacity = capacity
    }

    /// Inserts `key`; false when it was already there.
    mutating func insert(_ key: String) -> Bool {
        guard self.members.insert(key).inserted else { return false }
        if self.order.count < self.capacity {
            self.order.append(key)
        } else {
            self.members.remove(self.order[self.head])
            self.order[self.head] = key
            self.head = (self.head + 1) % self.capacity
        }
        return true
    }
}
