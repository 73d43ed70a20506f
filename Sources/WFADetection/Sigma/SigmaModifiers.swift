import Foundation
import WFACore

/// Turns `Field|modifier|...: values` into a ``SigmaFieldTest``: modifiers that transform a value
/// (`expand`, `windash`, `wide`, `base64`, `base64offset`) apply left to right, then the one that
/// says how to compare (`contains`, `startswith`, `endswith`, `re`, `cidr`, `lt`...).
struct SigmaModifiers {
    static let known: Set<String> = [
        "contains", "startswith", "endswith", "all", "re", "i", "m", "s", "cidr", "base64", "base64offset",
        "windash", "exists", "lt", "lte", "gt", "gte", "cased", "expand", "fieldref", "wide", "utf16le",
        "utf16be", "utf16",
    ]

    let names: [String]
    let line: Int

    init(_ names: [String], line: Int) throws(SigmaError) {
        self.names = names.map { $0.lowercased() }
        self.line = line
        for name in self.names where !Self.known.contains(name) {
            throw SigmaError(message: "unsupported modifier '\(name)'", line: line)
        }
        let comparisons = self.names.filter {
            ["re", "cidr", "lt", "lte", "gt", "gte", "exists", "fieldref"].contains($0)
        }
        if comparisons.count > 1 {
            throw SigmaError(message: "modifiers \(comparisons.joined(separator: ", ")) cannot be combined", line: line)
        }
    }

    private func has(_ name: String) -> Bool { self.names.contains(name) }

    func fieldTest(name: String, candidates: [RuleField], values: [YAMLTree], placeholders: [String: [String]])
        throws(SigmaError) -> SigmaFieldTest
    {
        if self.has("exists") {
            guard values.count == 1, let flag = values[0].text.flatMap(Bool.init) else {
                throw SigmaError(message: "|exists takes true or false", line: self.line)
            }
            return SigmaFieldTest(name: name, candidates: candidates, kind: .exists(flag))
        }
        var tests: [SigmaValueTest] = []
        for value in values {
            tests.append(try self.valueTest(value, placeholders: placeholders))
        }
        if tests.isEmpty { throw SigmaError(message: "field '\(name)' has no values", line: self.line) }
        return SigmaFieldTest(name: name, candidates: candidates, kind: .values(tests, requireAll: self.has("all")))
    }

    private func valueTest(_ value: YAMLTree, placeholders: [String: [String]]) throws(SigmaError) -> SigmaValueTest {
        guard case .scalar(let text, let kind, _) = value else {
            throw SigmaError(message: "a field's value must be a scalar or a list of scalars", line: value.line)
        }
        if kind == .null || (text.isEmpty && !self.has("re")) { return .empty }
        if self.has("fieldref") { return .fieldReference(SigmaFieldMapping.candidates(for: text, product: nil)) }
        if self.has("re") {
            var options: NSRegularExpression.Options = []
            if self.has("i") { options.insert(.caseInsensitive) }
            if self.has("m") { options.insert(.anchorsMatchLines) }
            if self.has("s") { options.insert(.dotMatchesLineSeparators) }
            do {
                return .regex(SigmaRegex(expression: try NSRegularExpression(pattern: text, options: options)))
            } catch {
                throw SigmaError(message: "'\(text)' is not a regular expression this engine reads", line: value.line)
            }
        }
        if self.has("cidr") {
            guard let network = IPNetwork(text) else {
                throw SigmaError(message: "'\(text)' is not a CIDR network", line: value.line)
            }
            return .cidr(network)
        }
        for (modifier, op) in [
            ("lt", CriteriaOperator.less), ("lte", .lessOrEqual), ("gt", .greater), ("gte", .greaterOrEqual),
        ]
        where self.has(modifier) {
            guard let number = Double(text) else {
                throw SigmaError(message: "|\(modifier) compares numbers, but '\(text)' is not one", line: value.line)
            }
            return .number(op, number)
        }
        let patterns = try self.patterns(for: text, line: value.line, placeholders: placeholders)
        return .patterns(patterns, caseSensitive: patterns.first?.caseSensitive ?? false)
    }

    private func patterns(for text: String, line: Int, placeholders: [String: [String]]) throws(SigmaError)
        -> [TextPattern]
    {
        var alternatives = [text]
        var encoded = false
        for modifier in self.names {
            switch modifier {
            case "expand":
                var expanded: [String] = []
                for alternative in alternatives {
                    expanded += try Self.expand(alternative, placeholders: placeholders, line: line)
                }
                alternatives = expanded
            case "windash":
                alternatives = alternatives.flatMap(Self.windashVariants)
            case "base64":
                alternatives = alternatives.map { Data(self.encode($0)).base64EncodedString() }
                encoded = true
            case "base64offset":
                alternatives = alternatives.flatMap { Self.base64OffsetVariants(self.encode($0)) }
                encoded = true
            default:
                break
            }
        }
        let cased = self.has("cased")
        let leading = self.has("contains") || self.has("endswith")
        let trailing = self.has("contains") || self.has("startswith")
        return alternatives.map { alternative in
            // Encoded values are literal: a `*` inside base64 would not be a wildcard.
            let pattern =
                encoded
                ? TextPattern(literal: alternative, caseSensitive: true)
                : TextPattern(sigma: alternative, caseSensitive: cased)
            return pattern.widened(leading: leading, trailing: trailing)
        }
    }

    /// The value's bytes in the encoding the modifiers ask for (`wide` is UTF-16 little-endian).
    private func encode(_ text: String) -> [UInt8] {
        let littleEndian = {
            text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0), UInt8(truncatingIfNeeded: $0 >> 8)] }
        }
        if self.has("wide") || self.has("utf16le") { return littleEndian() }
        if self.has("utf16be") {
            return text.utf16.flatMap { [UInt8(truncatingIfNeeded: $0 >> 8), UInt8(truncatingIfNeeded: $0)] }
        }
        // UTF-16 with its byte-order mark, little-endian as Windows writes it.
        if self.has("utf16") { return [0xFF, 0xFE] + littleEndian() }
        return Array(text.utf8)
    }

    /// `%name%` replaced by each value the placeholder stands for.
    static func expand(_ text: String, placeholders: [String: [String]], line: Int) throws(SigmaError) -> [String] {
        guard let start = text.firstIndex(of: "%"),
            let end = text[text.index(after: start)...].firstIndex(of: "%")
        else { return [text] }
        let name = String(text[text.index(after: start)..<end])
        guard let values = placeholders[name], !values.isEmpty else {
            throw SigmaError(message: "placeholder %\(name)% has no values configured", line: line)
        }
        let rest = try Self.expand(String(text[text.index(after: end)...]), placeholders: placeholders, line: line)
        let head = text[..<start]
        return values.flatMap { value in rest.map { head + value + $0 } }
    }

    /// Windows programs take `-flag`, `/flag` and the dashes a copy-paste makes of them; each
    /// dash that starts the value or follows a space may be any of these.
    static func windashVariants(_ text: String) -> [String] {
        let dashes: [Character] = ["-", "/", "\u{2013}", "\u{2014}", "\u{2015}"]
        let characters = Array(text)
        let positions = characters.indices.filter { index in
            characters[index] == "-" && (index == 0 || characters[index - 1] == " ")
        }
        guard !positions.isEmpty else { return [text] }
        // Beyond three places every combination is too many; vary them together instead.
        if positions.count > 3 {
            return dashes.map { dash in
                var copy = characters
                for position in positions { copy[position] = dash }
                return String(copy)
            }
        }
        var variants = [characters]
        for position in positions {
            variants = variants.flatMap { variant in
                dashes.map { dash in
                    var copy = variant
                    copy[position] = dash
                    return copy
                }
            }
        }
        return variants.map { String($0) }
    }

    /// The three base64 forms `bytes` can take inside a longer base64 text, depending on where it
    /// starts relative to a 3-byte group; the characters that also depend on the neighbours are cut.
    static func base64OffsetVariants(_ bytes: [UInt8]) -> [String] {
        (0..<3).map { shift in
            let encoded = Array(Data(Array(repeating: 0x20, count: shift) + bytes).base64EncodedString())
            let dropFront = [0, 2, 3][shift]
            let dropBack = [0, 3, 2][(bytes.count + shift) % 3]
            guard encoded.count > dropFront + dropBack else { return "" }
            return String(encoded[dropFront..<(encoded.count - dropBack)])
        }
    }
}
