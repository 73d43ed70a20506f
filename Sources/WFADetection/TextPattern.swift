/// A text pattern with wildcards, matched over UTF-8 bytes: Sigma's `*` and `?`, or SQL `LIKE`'s
/// `%` and `_`.
///
/// Matching is case-insensitive unless the pattern says otherwise: the pattern is folded once when
/// it is compiled, and the caller folds each event value once (``EventFields``), so a rule set
/// lowercases nothing per comparison.
struct TextPattern: Sendable, Hashable {
    enum Piece: Sendable, Hashable {
        case literal([UInt8])
        /// Any run of characters, including none.
        case anyRun
        /// Exactly one character.
        case anyOne
    }

    /// How the pattern is laid out, so the common shapes skip the general matcher.
    private enum Shape: Sendable, Hashable {
        case exact([UInt8])
        case prefix([UInt8])
        case suffix([UInt8])
        case infix([UInt8])
        case general
    }

    let pieces: [Piece]
    let caseSensitive: Bool
    private let shape: Shape

    init(pieces: [Piece], caseSensitive: Bool) {
        var merged: [Piece] = []
        for piece in pieces {
            switch (merged.last, piece) {
            case (.anyRun, .anyRun): continue
            case (.literal(let previous), .literal(let next)): merged[merged.count - 1] = .literal(previous + next)
            case (_, .literal(let bytes)) where bytes.isEmpty: continue
            default: merged.append(piece)
            }
        }
        self.pieces = merged
        self.caseSensitive = caseSensitive
        self.shape = Self.shape(of: merged)
    }

    /// A pattern that matches `text` exactly (no wildcards).
    init(literal text: String, caseSensitive: Bool = false) {
        self.init(pieces: [.literal(Self.bytes(text, caseSensitive))], caseSensitive: caseSensitive)
    }

    /// Reads Sigma's wildcards. A backslash escapes `*`, `?` and itself; before anything else it is
    /// a plain backslash, as Windows paths need (`\Windows\`).
    init(sigma text: String, caseSensitive: Bool = false) {
        var pieces: [Piece] = []
        var literal = ""
        var characters = text.makeIterator()
        var pending = characters.next()
        while let character = pending {
            pending = characters.next()
            switch character {
            case "*", "?":
                pieces.append(.literal(Self.bytes(literal, caseSensitive)))
                literal = ""
                pieces.append(character == "*" ? .anyRun : .anyOne)
            case "\\":
                if let next = pending, next == "*" || next == "?" || next == "\\" {
                    literal.append(next)
                    pending = characters.next()
                } else {
                    literal.append("\\")
                }
            default:
                literal.append(character)
            }
        }
        pieces.append(.literal(Self.bytes(literal, caseSensitive)))
        self.init(pieces: pieces, caseSensitive: caseSensitive)
    }

    /// Reads SQL `LIKE` wildcards (`%`, `_`, with `\` escaping either).
    init(like text: String) {
        var pieces: [Piece] = []
        var literal = ""
        var escaped = false
        for character in text {
            if escaped {
                literal.append(character)
                escaped = false
                continue
            }
            switch character {
            case "\\": escaped = true
            case "%", "_":
                pieces.append(.literal(Self.bytes(literal, false)))
                literal = ""
                pieces.append(character == "%" ? .anyRun : .anyOne)
            default: literal.append(character)
            }
        }
        if escaped { literal.append("\\") }
        pieces.append(.literal(Self.bytes(literal, false)))
        self.init(pieces: pieces, caseSensitive: false)
    }

    /// The same pattern with a run of anything allowed before and/or after it.
    func widened(leading: Bool, trailing: Bool) -> TextPattern {
        TextPattern(
            pieces: (leading ? [.anyRun] : []) + self.pieces + (trailing ? [.anyRun] : []),
            caseSensitive: self.caseSensitive)
    }

    /// True when the pattern has no wildcard: it is one literal string.
    var literalText: String? {
        if case .exact(let bytes) = self.shape { return String(decoding: bytes, as: UTF8.self) }
        return self.pieces.isEmpty ? "" : nil
    }

    static func bytes(_ text: String, _ caseSensitive: Bool) -> [UInt8] {
        Array((caseSensitive ? text : text.lowercased()).utf8)
    }

    /// Matches `text`, which the caller has folded to lower case unless the pattern is case-sensitive.
    func matches(_ text: [UInt8]) -> Bool {
        switch self.shape {
        case .exact(let literal): return text == literal
        case .prefix(let literal): return text.starts(with: literal)
        case .suffix(let literal):
            return text.count >= literal.count && text[(text.count - literal.count)...].elementsEqual(literal)
        case .infix(let literal): return Self.find(literal, in: text[...], from: 0) != nil
        case .general: return Self.match(self.pieces[...], text[...])
        }
    }

    private static func shape(of pieces: [Piece]) -> Shape {
        switch pieces.count {
        case 0: return .exact([])
        case 1: if case .literal(let bytes) = pieces[0] { return .exact(bytes) }
        case 2:
            if case .literal(let bytes) = pieces[0], case .anyRun = pieces[1] { return .prefix(bytes) }
            if case .anyRun = pieces[0], case .literal(let bytes) = pieces[1] { return .suffix(bytes) }
        case 3:
            if case .anyRun = pieces[0], case .literal(let bytes) = pieces[1], case .anyRun = pieces[2] {
                return .infix(bytes)
            }
        default: break
        }
        return .general
    }

    /// Where `needle` first occurs in `haystack` at or after `start`.
    private static func find(_ needle: [UInt8], in haystack: ArraySlice<UInt8>, from start: Int) -> Int? {
        guard let first = needle.first else { return start }
        var index = start
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == first, haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index
            }
            index += 1
        }
        return nil
    }

    /// General matching: literals anchor, `?` takes one UTF-8 character, and `*` tries the next
    /// literal at each place it occurs (backtracking only as far as that literal's occurrences).
    private static func match(_ pieces: ArraySlice<Piece>, _ text: ArraySlice<UInt8>) -> Bool {
        guard let piece = pieces.first else { return text.isEmpty }
        let rest = pieces.dropFirst()
        switch piece {
        case .literal(let bytes):
            return text.starts(with: bytes) && Self.match(rest, text.dropFirst(bytes.count))
        case .anyOne:
            guard let lead = text.first else { return false }
            return Self.match(rest, text.dropFirst(Self.characterLength(lead)))
        case .anyRun:
            guard let next = rest.first else { return true }
            if case .literal(let bytes) = next {
                var from = text.startIndex
                while let found = Self.find(bytes, in: text, from: from) {
                    if Self.match(rest, text[found...]) { return true }
                    from = found + 1
                }
                return false
            }
            var index = text.startIndex
            while true {
                if Self.match(rest, text[index...]) { return true }
                guard index < text.endIndex else { return false }
                index = min(index + Self.characterLength(text[index]), text.endIndex)
            }
        }
    }

    private static func characterLength(_ lead: UInt8) -> Int {
        switch lead {
        case 0xF0...: 4
        case 0xE0...: 3
        case 0xC0...: 2
        default: 1
        }
    }
}
