public import Foundation

/// The families of rules wfa evaluates.
public enum RuleKind: String, Sendable, Codable, Hashable, CaseIterable {
    case classification
    case lead
    case sigma
}

/// What every stored rule has, whatever its family: an id, an org, a name, and a switch.
public protocol DetectionRule: Sendable, Codable, Hashable, Identifiable where ID == Identifier<Self> {
    static var kind: RuleKind { get }
    var orgID: Org.ID { get }
    var name: String { get }
    var enabled: Bool { get }
    var updatedAt: Date { get }
}
