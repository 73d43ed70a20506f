/// One search identifier of a Sigma detection (`selection`, `filter_main`).
enum SigmaSearch: Sendable {
    /// Any of the groups holds, a group when all its field tests do (a list of maps, or one map).
    case fieldGroups([[SigmaFieldTest]])
    /// Any of the words appears in the original message.
    case keywords(SigmaFieldTest)

    func matches(_ event: EventFields) -> Bool {
        switch self {
        case .fieldGroups(let groups): groups.contains { group in group.allSatisfy { $0.matches(event) } }
        case .keywords(let test): test.matches(event)
        }
    }

    /// Compiles the value under a search identifier.
    static func compile(_ tree: YAMLTree, product: String?, placeholders: [String: [String]])
        throws(SigmaError) -> SigmaSearch
    {
        switch tree {
        case .mapping:
            return .fieldGroups([try Self.group(tree, product: product, placeholders: placeholders)])
        case .sequence(let items, let line):
            if items.allSatisfy({ if case .mapping = $0 { true } else { false } }) {
                var groups: [[SigmaFieldTest]] = []
                for item in items { groups.append(try Self.group(item, product: product, placeholders: placeholders)) }
                return .fieldGroups(groups)
            }
            return .keywords(try Self.keywords(items, modifiers: [], line: line, placeholders: placeholders))
        case .scalar(_, _, let line):
            return .keywords(try Self.keywords([tree], modifiers: [], line: line, placeholders: placeholders))
        }
    }

    private static func group(_ tree: YAMLTree, product: String?, placeholders: [String: [String]])
        throws(SigmaError) -> [SigmaFieldTest]
    {
        guard let entries = tree.entries, !entries.isEmpty else {
            throw SigmaError(message: "a selection map is empty", line: tree.line)
        }
        var tests: [SigmaFieldTest] = []
        for (key, value) in entries {
            let parts = key.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            let values: [YAMLTree]
            switch value {
            case .sequence(let items, _): values = items
            case .mapping:
                throw SigmaError(message: "field '\(parts[0])' has a map as its value", line: value.line)
            case .scalar: values = [value]
            }
            if parts[0].isEmpty {
                // `'|all': [...]` — keywords with modifiers.
                tests.append(
                    try Self.keywords(
                        values, modifiers: Array(parts.dropFirst()), line: value.line, placeholders: placeholders))
                continue
            }
            let modifiers = try SigmaModifiers(Array(parts.dropFirst()), line: value.line)
            tests.append(
                try modifiers.fieldTest(
                    name: parts[0], candidates: SigmaFieldMapping.candidates(for: parts[0], product: product),
                    values: values, placeholders: placeholders))
        }
        return tests
    }

    /// Keywords are searched for anywhere in the message, so each is a "contains".
    private static func keywords(_ items: [YAMLTree], modifiers: [String], line: Int, placeholders: [String: [String]])
        throws(SigmaError) -> SigmaFieldTest
    {
        let compare = ["re", "cidr", "lt", "lte", "gt", "gte", "startswith", "endswith"]
        let names = modifiers + (modifiers.contains { compare.contains($0.lowercased()) } ? [] : ["contains"])
        return try SigmaModifiers(names, line: line).fieldTest(
            name: "keywords", candidates: [.raw], values: items, placeholders: placeholders)
    }
}
