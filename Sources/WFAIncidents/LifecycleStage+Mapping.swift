import Foundation
public import WFACore

extension LifecycleStage {
    /// The stage an ATT&CK tactic (`initial-access`, as Sigma tags spell it) belongs to.
    public init?(tactic: String) {
        switch tactic.lowercased().replacingOccurrences(of: "_", with: "-") {
        case "reconnaissance", "discovery", "resource-development": self = .reconnaissance
        case "initial-access": self = .initialAccess
        case "execution", "defense-evasion", "defense-impairment": self = .execution
        case "persistence", "command-and-control": self = .persistence
        case "privilege-escalation", "credential-access": self = .privilegeEscalation
        case "lateral-movement": self = .lateralMovement
        case "collection": self = .collection
        case "exfiltration": self = .exfiltration
        case "impact": self = .impact
        default: return nil
        }
    }

    /// The stage a reference lead set names ("Reconnaissance Host", "Exfiltration Target", "C2 Server").
    public init?(leadSet name: String) {
        let table: [(String, LifecycleStage)] = [
            ("Reconnaissance", .reconnaissance), ("Phish", .initialAccess), ("Exploit", .initialAccess),
            ("Suspicious User", .privilegeEscalation), ("Staging", .lateralMovement), ("C2", .persistence),
            ("Bot", .persistence), ("Exfiltration", .exfiltration), ("Ransomware", .impact),
            ("Disrupt", .impact), ("Malicious File", .execution), ("Malicious Email", .initialAccess),
        ]
        let folded = name.lowercased()
        guard let stage = table.first(where: { folded.contains($0.0.lowercased()) })?.1 else { return nil }
        self = stage
    }

    /// How far along the attack this stage is; later stages make an incident more urgent.
    public var order: Int { Self.allCases.firstIndex(of: self) ?? 0 }
}
