public import WFACore

/// How suspicious an incident is, 0...1, and the reasons that add up to it, largest first.
///
/// The weights are a starting point an analyst can read and argue with: the worst rule sets the
/// base, and breadth (more rules, techniques, stages), volume and the assets involved move it.
public struct IncidentScore: Sendable, Hashable {
    public var value: Double
    public var reasons: [ScoreReason]

    /// What the correlator knows about an incident beyond the stored incident: its nodes' flags.
    public struct Facts: Sendable, Hashable {
        public var managed: Set<Node.ID> = []
        public var `internal`: Set<Node.ID> = []
        public var trustedActors: Set<Node.ID> = []
        public var stages: Set<LifecycleStage> = []

        public init() {}

        /// Adds what is known of an incident merged into this one.
        public mutating func formUnion(_ other: Facts) {
            self.managed.formUnion(other.managed)
            self.internal.formUnion(other.internal)
            self.trustedActors.formUnion(other.trustedActors)
            self.stages.formUnion(other.stages)
        }
    }

    public init(leads: [Lead], techniques: [String], facts: Facts) {
        var reasons: [ScoreReason] = []
        let worst = leads.map(\.severity).max() ?? .informational
        let base: [IncidentSeverity: Double] = [
            .informational: 0.05, .low: 0.15, .medium: 0.30, .high: 0.45, .critical: 0.60,
        ]
        reasons.append(ScoreReason(reason: "Highest rule severity is \(worst.rawValue)", weight: base[worst] ?? 0))
        let rules = Set(leads.map(\.ruleID)).count
        if rules > 1 {
            reasons.append(
                ScoreReason(reason: "\(rules) distinct rules matched", weight: min(0.20, 0.05 * Double(rules - 1))))
        }
        if !techniques.isEmpty {
            reasons.append(
                ScoreReason(
                    reason:
                        "\(techniques.count) ATT&CK technique\(techniques.count == 1 ? "" : "s"): \(techniques.sorted().joined(separator: ", "))",
                    weight: min(0.15, 0.05 * Double(techniques.count))))
        }
        if facts.stages.count > 1 {
            let path = facts.stages.sorted { $0.order < $1.order }.map(\.rawValue).joined(separator: " → ")
            reasons.append(
                ScoreReason(
                    reason: "Spans \(facts.stages.count) lifecycle stages: \(path)",
                    weight: min(0.20, 0.10 * Double(facts.stages.count - 1))))
        }
        let events = leads.reduce(0) { $0 + $1.count }
        if events >= 100 {
            reasons.append(ScoreReason(reason: "\(events) matching events", weight: 0.10))
        } else if events >= 10 {
            reasons.append(ScoreReason(reason: "\(events) matching events", weight: 0.05))
        }
        if let managed = facts.managed.sorted().first {
            reasons.append(ScoreReason(reason: "Involves a managed asset (\(managed.rawValue))", weight: 0.10))
        } else if let inside = facts.internal.sorted().first {
            reasons.append(ScoreReason(reason: "Involves an internal address (\(inside.rawValue))", weight: 0.05))
        }
        if let trusted = facts.trustedActors.sorted().first {
            reasons.append(ScoreReason(reason: "The actor \(trusted.rawValue) is trusted", weight: -0.30))
        }
        self.reasons = reasons.sorted { abs($0.weight) > abs($1.weight) }
        self.value = min(1, max(0, reasons.reduce(0) { $0 + $1.weight }))
    }

    /// The severity the score alone stands for.
    public var severity: IncidentSeverity {
        switch self.value {
        case 0.8...: .critical
        case 0.6..<0.8: .high
        case 0.4..<0.6: .medium
        case 0.2..<0.4: .low
        default: .informational
        }
    }
}
