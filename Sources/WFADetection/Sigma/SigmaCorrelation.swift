import Foundation

/// A Sigma v2 correlation: counts, distinct values or an order of other rules' matches that
/// share the group-by fields within a timespan.
struct SigmaCorrelation: Sendable {
    enum Kind: String, Sendable {
        case eventCount = "event_count"
        case valueCount = "value_count"
        case temporal
        case temporalOrdered = "temporal_ordered"
    }

    let kind: Kind
    /// The rules it correlates, by `id` or `name`, in the order `temporal_ordered` wants them.
    let rules: [String]
    let groupBy: [String]
    /// Alias → (rule reference → the field that rule calls it).
    let aliases: [String: [String: String]]
    let timespan: TimeInterval
    /// For counts: the comparison and its bound (`gte: 10`).
    let threshold: (op: CriteriaOperator, bound: Double)?
    /// For `value_count`: the field whose distinct values are counted.
    let valueField: String?
    /// Whether the referenced rules also report their own matches.
    let generate: Bool

    init(_ tree: YAMLTree) throws(SigmaError) {
        guard let typeText = tree["type"]?.text, let kind = Kind(rawValue: typeText) else {
            throw SigmaError(
                message: "correlation type must be event_count, value_count, temporal or temporal_ordered",
                line: tree["type"]?.line ?? tree.line)
        }
        self.kind = kind
        guard let rules = tree["rules"]?.texts, !rules.isEmpty else {
            throw SigmaError(message: "a correlation names the rules it correlates under 'rules'", line: tree.line)
        }
        self.rules = rules
        self.groupBy = tree["group-by"]?.texts ?? []
        var aliases: [String: [String: String]] = [:]
        for (alias, mapping) in tree["aliases"]?.entries ?? [] {
            var fields: [String: String] = [:]
            for (rule, field) in mapping.entries ?? [] { fields[rule] = field.text }
            aliases[alias] = fields
        }
        self.aliases = aliases
        guard let spanText = tree["timespan"]?.text, let span = Self.duration(spanText) else {
            throw SigmaError(
                message: "a correlation needs a timespan such as 5m, 1h or 2d",
                line: tree["timespan"]?.line ?? tree.line)
        }
        self.timespan = span
        self.generate = tree["generate"]?.text.flatMap(Bool.init) ?? false
        var threshold: (CriteriaOperator, Double)?
        var valueField: String?
        if let condition = tree["condition"] {
            for (key, value) in condition.entries ?? [] {
                let ops: [String: CriteriaOperator] = [
                    "gt": .greater, "gte": .greaterOrEqual, "eq": .equals, "lt": .less, "lte": .lessOrEqual,
                ]
                if key == "field" {
                    valueField = value.text
                } else if let op = ops[key], let bound = value.text.flatMap(Double.init) {
                    guard op != .less, op != .lessOrEqual else {
                        throw SigmaError(
                            message:
                                "'\(key)' needs the end of each window to decide, which streaming detection does not wait for",
                            line: value.line)
                    }
                    threshold = (op, bound)
                } else {
                    throw SigmaError(
                        message: "correlation condition '\(key)' is not gt, gte, eq or field", line: value.line)
                }
            }
        }
        if kind == .eventCount || kind == .valueCount, threshold == nil {
            throw SigmaError(message: "\(kind.rawValue) needs a condition such as 'gte: 10'", line: tree.line)
        }
        if kind == .valueCount, valueField == nil {
            throw SigmaError(message: "value_count needs the field whose values it counts", line: tree.line)
        }
        self.threshold = threshold
        self.valueField = valueField
    }

    /// The field `rule` (by any of its references) uses for `name`, after aliases.
    func field(_ name: String, for references: [String]) -> String {
        guard let alias = self.aliases[name] else { return name }
        for reference in references { if let field = alias[reference] { return field } }
        return name
    }

    func satisfies(_ count: Int) -> Bool {
        guard let (op, bound) = self.threshold else { return true }
        return op.compare(Double(count), to: bound)
    }

    /// `30s`, `5m`, `1h`, `2d`, `1w`.
    static func duration(_ text: String) -> TimeInterval? {
        guard let unit = text.last, let amount = Double(text.dropLast()), amount > 0 else { return nil }
        switch unit {
        case "s": return amount
        case "m": return amount * 60
        case "h": return amount * 3600
        case "d": return amount * 86400
        case "w": return amount * 604_800
        default: return nil
        }
    }
}
