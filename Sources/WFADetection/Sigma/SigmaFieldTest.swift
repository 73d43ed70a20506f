import Foundation
import WFACore

/// The compiled form of one `Field|modifier|...: value(s)` line of a Sigma detection.
struct SigmaFieldTest: Sendable {
    enum Kind: Sendable {
        /// Any of the tests (all of them with `|all`) holds for a value of the field.
        case values([SigmaValueTest], requireAll: Bool)
        /// `|exists: true|false`.
        case exists(Bool)
    }

    /// The name as the rule wrote it, for explanations.
    let name: String
    /// Where the field is read from, first with a value wins (``SigmaFieldMapping``).
    let candidates: [RuleField]
    let kind: Kind

    func matches(_ event: EventFields) -> Bool {
        let field = self.candidates.first { !event.values(of: $0).isEmpty }
        switch self.kind {
        case .exists(let expected):
            return (field != nil) == expected
        case .values(let tests, let requireAll):
            return requireAll
                ? tests.allSatisfy { $0.matches(field, in: event) }
                : tests.contains { $0.matches(field, in: event) }
        }
    }
}

/// One value a field is compared with, after its modifiers are applied.
enum SigmaValueTest: Sendable {
    /// Any of these patterns (one value can stand for several: `|windash`, `|base64offset`, `|expand`).
    case patterns([TextPattern], caseSensitive: Bool)
    case regex(SigmaRegex)
    case cidr(IPNetwork)
    case number(CriteriaOperator, Double)
    /// `null` or `''`: the field is missing or empty.
    case empty
    /// `|fieldref`: equal to the named field's value.
    case fieldReference([RuleField])

    func matches(_ field: RuleField?, in event: EventFields) -> Bool {
        guard let field else {
            if case .empty = self { return true }
            return false
        }
        switch self {
        case .patterns(let patterns, let caseSensitive):
            return event.bytes(of: field, caseSensitive: caseSensitive).contains { text in
                patterns.contains { $0.matches(text) }
            }
        case .regex(let regex):
            return event.values(of: field).contains { regex.matches($0) }
        case .cidr(let network):
            return event.values(of: field).contains { IPAddress($0).map(network.contains) ?? false }
        case .number(let op, let bound):
            return event.values(of: field).contains { Double($0).map { op.compare($0, to: bound) } ?? false }
        case .empty:
            return event.values(of: field).allSatisfy(\.isEmpty)
        case .fieldReference(let candidates):
            guard let other = candidates.first(where: { !event.values(of: $0).isEmpty }) else { return false }
            let theirs = Set(event.bytes(of: other, caseSensitive: false))
            return event.bytes(of: field, caseSensitive: false).contains { theirs.contains($0) }
        }
    }
}

/// A compiled `|re` pattern. `NSRegularExpression` is immutable once made and documented safe to
/// share between threads, which the compiler cannot see.
struct SigmaRegex: @unchecked Sendable {
    let expression: NSRegularExpression

    func matches(_ text: String) -> Bool {
        let range = NSRange(text.startIndex..<text.endIndex, in: text)
        return self.expression.firstMatch(in: text, options: [], range: range) != nil
    }
}
