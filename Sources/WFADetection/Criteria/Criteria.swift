public import WFACore

/// A rule condition in the reference criteria DSL, parsed and ready to evaluate:
/// `streamName = "sshd" AND (action = "blocked" OR tags CONTAINS "eventId:4625")`.
public indirect enum Criteria: Sendable, Hashable {
    case comparison(Comparison)
    case all([Criteria])
    case any([Criteria])
    case not(Criteria)

    /// Parses the DSL; the error says where and what was expected.
    public init(parsing text: String) throws(CriteriaError) {
        var parser = CriteriaParser(text)
        self = try parser.parseCriteria()
    }

    public func matches(_ artifact: Artifact) -> Bool {
        self.matches(EventFields(artifact))
    }

    func matches(_ event: EventFields) -> Bool {
        switch self {
        case .comparison(let comparison): comparison.matches(event)
        case .all(let parts): parts.allSatisfy { $0.matches(event) }
        case .any(let parts): parts.contains { $0.matches(event) }
        case .not(let inner): !inner.matches(event)
        }
    }
}

/// The comparison operators of the DSL.
public enum CriteriaOperator: String, Sendable, Hashable, CaseIterable {
    case equals = "="
    case notEquals = "!="
    case less = "<"
    case lessOrEqual = "<="
    case greater = ">"
    case greaterOrEqual = ">="
    case like = "LIKE"
    case notLike = "NOT LIKE"
    case contains = "CONTAINS"
    case containsAny = "CONTAINS_ANY"

    /// Whether `value OP bound` holds for the ordering operators (`<`, `<=`, `>`, `>=`, `=`).
    func compare(_ value: Double, to bound: Double) -> Bool {
        switch self {
        case .less: value < bound
        case .lessOrEqual: value <= bound
        case .greater: value > bound
        case .greaterOrEqual: value >= bound
        case .equals: value == bound
        default: false
        }
    }
}

/// `field OP value`: text compares without case; `<` and `>` compare numbers; on list fields
/// (`tags`) `CONTAINS` asks for an element, on text fields for a substring.
public struct Comparison: Sendable, Hashable {
    public let field: RuleField
    public let op: CriteriaOperator
    public let values: [String]
    private let patterns: [TextPattern]
    private let number: Double?

    public init(field: RuleField, op: CriteriaOperator, values: [String]) {
        self.field = field
        self.op = op
        self.values = values
        self.number = values.first.flatMap(Double.init)
        let isList = field == .tags || field == .attackTechniqueIDs || field == .matchedLeadRules
        self.patterns = values.map { value in
            switch op {
            case .like, .notLike:
                // `LIKE "checkpoint"` without a wildcard means "mentions", as the reference catalog uses it.
                let pattern = TextPattern(like: value)
                return pattern.literalText == nil ? pattern : pattern.widened(leading: true, trailing: true)
            case .contains, .containsAny:
                let pattern = TextPattern(literal: value)
                return isList ? pattern : pattern.widened(leading: true, trailing: true)
            default:
                return TextPattern(literal: value)
            }
        }
    }

    func matches(_ event: EventFields) -> Bool {
        switch self.op {
        case .equals, .like, .contains, .containsAny:
            return self.anyValueMatches(event)
        case .notEquals, .notLike:
            return !self.anyValueMatches(event)
        case .less, .lessOrEqual, .greater, .greaterOrEqual:
            guard let bound = self.number else { return false }
            return event.values(of: self.field).contains { Double($0).map { self.op.compare($0, to: bound) } ?? false }
        }
    }

    private func anyValueMatches(_ event: EventFields) -> Bool {
        let texts = event.bytes(of: self.field, caseSensitive: false)
        return texts.contains { text in self.patterns.contains { $0.matches(text) } }
    }
}

/// Why criteria did not parse, and where (1-based column).
public struct CriteriaError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let column: Int

    public var description: String { "column \(self.column): \(self.message)" }
}
