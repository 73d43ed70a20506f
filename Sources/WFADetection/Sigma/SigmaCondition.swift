/// A Sigma `condition`, parsed against the rule's search identifiers:
/// `selection_img and not 1 of filter_*`, `all of them`, parentheses.
indirect enum SigmaCondition: Sendable {
    case search(Int)
    case all([SigmaCondition])
    case any([SigmaCondition])
    case not(SigmaCondition)
    /// At least `count` of the searches hold.
    case atLeast(Int, [Int])

    func evaluate(_ search: (Int) -> Bool) -> Bool {
        switch self {
        case .search(let index): search(index)
        case .all(let parts): parts.allSatisfy { $0.evaluate(search) }
        case .any(let parts): parts.contains { $0.evaluate(search) }
        case .not(let inner): !inner.evaluate(search)
        case .atLeast(let count, let indexes): indexes.lazy.filter(search).prefix(count).count >= count
        }
    }

    /// Parses `text`, where `names` are the search identifiers in order.
    static func parse(_ text: String, names: [String], line: Int) throws(SigmaError) -> SigmaCondition {
        var parser = Parser(tokens: Self.tokens(text), names: names, line: line)
        let condition = try parser.parseOr()
        if let extra = parser.peek {
            if extra == "|" {
                throw SigmaError(
                    message: "aggregations after '|' are not Sigma v2; write a correlation rule instead", line: line)
            }
            throw SigmaError(message: "unexpected '\(extra)' in the condition", line: line)
        }
        return condition
    }

    private static func tokens(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = ""
        for character in text {
            if character == "(" || character == ")" || character == "|" || character.isWhitespace {
                if !current.isEmpty { tokens.append(current) }
                current = ""
                if !character.isWhitespace { tokens.append(String(character)) }
            } else {
                current.append(character)
            }
        }
        if !current.isEmpty { tokens.append(current) }
        return tokens
    }

    private struct Parser {
        let tokens: [String]
        let names: [String]
        let line: Int
        var position = 0

        init(tokens: [String], names: [String], line: Int) {
            self.tokens = tokens
            self.names = names
            self.line = line
        }

        var peek: String? { self.position < self.tokens.count ? self.tokens[self.position] : nil }

        private func isKeyword(_ keyword: String) -> Bool { self.peek?.lowercased() == keyword }

        mutating func parseOr() throws(SigmaError) -> SigmaCondition {
            var parts = [try self.parseAnd()]
            while self.isKeyword("or") {
                self.position += 1
                parts.append(try self.parseAnd())
            }
            return parts.count == 1 ? parts[0] : .any(parts)
        }

        mutating func parseAnd() throws(SigmaError) -> SigmaCondition {
            var parts = [try self.parseNot()]
            while self.isKeyword("and") {
                self.position += 1
                parts.append(try self.parseNot())
            }
            return parts.count == 1 ? parts[0] : .all(parts)
        }

        mutating func parseNot() throws(SigmaError) -> SigmaCondition {
            if self.isKeyword("not") {
                self.position += 1
                return .not(try self.parseNot())
            }
            return try self.parsePrimary()
        }

        mutating func parsePrimary() throws(SigmaError) -> SigmaCondition {
            guard let token = self.peek else {
                throw SigmaError(message: "the condition ends too early", line: self.line)
            }
            self.position += 1
            if token == "(" {
                let inner = try self.parseOr()
                guard self.peek == ")" else {
                    throw SigmaError(message: "a '(' in the condition is not closed", line: self.line)
                }
                self.position += 1
                return inner
            }
            if self.isKeyword("of") {
                self.position += 1
                guard let target = self.peek else {
                    throw SigmaError(message: "'\(token) of' needs a search name, a pattern or 'them'", line: self.line)
                }
                self.position += 1
                let matched =
                    target.lowercased() == "them"
                    ? self.names.indices.filter { !self.names[$0].hasPrefix("_") } : self.indexes(matching: target)
                guard !matched.isEmpty else {
                    throw SigmaError(message: "'\(target)' names no search in the detection", line: self.line)
                }
                switch token.lowercased() {
                case "all": return .all(matched.map { .search($0) })
                case "any": return .atLeast(1, matched)
                default:
                    guard let count = Int(token), count > 0 else {
                        throw SigmaError(
                            message: "'\(token) of' should be '1 of', 'any of' or 'all of'", line: self.line)
                    }
                    return .atLeast(count, matched)
                }
            }
            guard let index = self.names.firstIndex(of: token) else {
                throw SigmaError(
                    message: "the condition names '\(token)', which the detection does not define", line: self.line)
            }
            return .search(index)
        }

        private func indexes(matching pattern: String) -> [Int] {
            let matcher = TextPattern(sigma: pattern, caseSensitive: true)
            return self.names.indices.filter { matcher.matches(Array(self.names[$0].utf8)) }
        }
    }
}
