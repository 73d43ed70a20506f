/// Recursive descent over the criteria DSL. `OR` binds looser than `AND`, `NOT` tightest;
/// keywords are case-insensitive; strings are double- or single-quoted with `\` escapes.
struct CriteriaParser {
    private enum Token: Equatable {
        case word(String)
        case string(String)
        case number(String)
        case symbol(String)
        case end
    }

    private let scalars: [Character]
    private var position = 0
    private var token: Token = .end
    private var tokenColumn = 1

    init(_ text: String) {
        self.scalars = Array(text)
    }

    mutating func parseCriteria() throws(CriteriaError) -> Criteria {
        try self.advance()
        guard self.token != .end else { throw self.error("the criteria are empty") }
        let criteria = try self.parseOr()
        guard self.token == .end else {
            throw self.error("expected AND, OR or the end, found \(self.describe(self.token))")
        }
        return criteria
    }

    private mutating func parseOr() throws(CriteriaError) -> Criteria {
        var parts = [try self.parseAnd()]
        while self.isKeyword("OR") {
            try self.advance()
            parts.append(try self.parseAnd())
        }
        return parts.count == 1 ? parts[0] : .any(parts)
    }

    private mutating func parseAnd() throws(CriteriaError) -> Criteria {
        var parts = [try self.parseUnary()]
        while self.isKeyword("AND") {
            try self.advance()
            parts.append(try self.parseUnary())
        }
        return parts.count == 1 ? parts[0] : .all(parts)
    }

    private mutating func parseUnary() throws(CriteriaError) -> Criteria {
        if self.isKeyword("NOT") {
            try self.advance()
            return .not(try self.parseUnary())
        }
        if self.token == .symbol("(") {
            try self.advance()
            let inner = try self.parseOr()
            guard self.token == .symbol(")") else {
                throw self.error("expected ')', found \(self.describe(self.token))")
            }
            try self.advance()
            return inner
        }
        return .comparison(try self.parseComparison())
    }

    private mutating func parseComparison() throws(CriteriaError) -> Comparison {
        guard case .word(let name) = self.token else {
            throw self.error("expected a field name, found \(self.describe(self.token))")
        }
        guard let field = RuleField(name: name) else {
            throw self.error("unknown field '\(name)' (use an artifact field such as stream_name, or fields.NAME)")
        }
        try self.advance()
        let op = try self.parseOperator()
        let valueColumn = self.tokenColumn
        let values: [String]
        if self.token == .symbol("(") || self.token == .symbol("[") {
            values = try self.parseList()
        } else {
            values = [try self.parseValue()]
        }
        if op != .containsAny, values.count != 1 {
            throw CriteriaError(
                message: "\(op.rawValue) takes one value; use CONTAINS_ANY for a list", column: valueColumn)
        }
        if [.less, .lessOrEqual, .greater, .greaterOrEqual].contains(op), Double(values[0]) == nil {
            throw CriteriaError(
                message: "\(op.rawValue) compares numbers, but '\(values[0])' is not one", column: valueColumn)
        }
        return Comparison(field: field, op: op, values: values)
    }

    private mutating func parseOperator() throws(CriteriaError) -> CriteriaOperator {
        let op: CriteriaOperator
        switch self.token {
        case .symbol("="), .symbol("=="): op = .equals
        case .symbol("!="), .symbol("<>"): op = .notEquals
        case .symbol("<"): op = .less
        case .symbol("<="): op = .lessOrEqual
        case .symbol(">"): op = .greater
        case .symbol(">="): op = .greaterOrEqual
        case .word(let word) where word.uppercased() == "LIKE": op = .like
        case .word(let word) where word.uppercased() == "CONTAINS": op = .contains
        case .word(let word) where word.uppercased() == "CONTAINS_ANY": op = .containsAny
        case .word(let word) where word.uppercased() == "NOT":
            try self.advance()
            guard self.isKeyword("LIKE") else { throw self.error("expected LIKE after NOT") }
            op = .notLike
        default:
            throw self.error(
                "expected an operator (= != < <= > >= LIKE NOT LIKE CONTAINS CONTAINS_ANY), found \(self.describe(self.token))"
            )
        }
        try self.advance()
        return op
    }

    private mutating func parseList() throws(CriteriaError) -> [String] {
        let closing: Token = self.token == .symbol("(") ? .symbol(")") : .symbol("]")
        try self.advance()
        var values = [try self.parseValue()]
        while self.token == .symbol(",") {
            try self.advance()
            values.append(try self.parseValue())
        }
        guard self.token == closing else {
            throw self.error("expected ',' or the end of the list, found \(self.describe(self.token))")
        }
        try self.advance()
        return values
    }

    private mutating func parseValue() throws(CriteriaError) -> String {
        switch self.token {
        case .string(let text), .number(let text):
            try self.advance()
            return text
        default:
            throw self.error("expected a quoted value or a number, found \(self.describe(self.token))")
        }
    }

    private func isKeyword(_ keyword: String) -> Bool {
        if case .word(let word) = self.token { return word.uppercased() == keyword }
        return false
    }

    private func describe(_ token: Token) -> String {
        switch token {
        case .word(let word): "'\(word)'"
        case .string(let text): "\"\(text)\""
        case .number(let text): text
        case .symbol(let symbol): "'\(symbol)'"
        case .end: "the end"
        }
    }

    private func error(_ message: String) -> CriteriaError {
        CriteriaError(message: message, column: self.tokenColumn)
    }

    // MARK: Tokens

    private mutating func advance() throws(CriteriaError) {
        while self.position < self.scalars.count, self.scalars[self.position].isWhitespace { self.position += 1 }
        self.tokenColumn = self.position + 1
        guard self.position < self.scalars.count else {
            self.token = .end
            return
        }
        let first = self.scalars[self.position]
        if first == "\"" || first == "'" {
            self.token = .string(try self.readString(quote: first))
        } else if first.isNumber || (first == "-" && self.peek(1)?.isNumber == true) {
            let start = self.position
            self.position += 1
            while let next = self.peek(0), next.isNumber || next == "." { self.position += 1 }
            self.token = .number(String(self.scalars[start..<self.position]))
        } else if first.isLetter || first == "_" {
            let start = self.position
            while let next = self.peek(0), next.isLetter || next.isNumber || next == "_" || next == "." || next == "-" {
                self.position += 1
            }
            self.token = .word(String(self.scalars[start..<self.position]))
        } else {
            let pair = String([first] + (self.peek(1).map { [$0] } ?? []))
            if ["!=", "<=", ">=", "==", "<>"].contains(pair) {
                self.position += 2
                self.token = .symbol(pair)
            } else if "=<>(),[]".contains(first) {
                self.position += 1
                self.token = .symbol(String(first))
            } else {
                throw self.error("unexpected character '\(first)'")
            }
        }
    }

    private func peek(_ offset: Int) -> Character? {
        self.position + offset < self.scalars.count ? self.scalars[self.position + offset] : nil
    }

    private mutating func readString(quote: Character) throws(CriteriaError) -> String {
        self.position += 1
        var text = ""
        while self.position < self.scalars.count {
            let character = self.scalars[self.position]
            self.position += 1
            if character == quote { return text }
            if character == "\\", self.position < self.scalars.count {
                text.append(self.scalars[self.position])
                self.position += 1
            } else {
                text.append(character)
            }
        }
        throw self.error("the quoted value is not closed")
    }
}
