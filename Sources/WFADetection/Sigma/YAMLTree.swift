import Yams

/// A YAML document as plain values with the line each came from, so Sigma compilation can say
/// where a problem is without holding on to the YAML library's (non-Sendable) nodes.
indirect enum YAMLTree: Sendable {
    enum ScalarKind: Sendable { case string, integer, float, boolean, null }

    case scalar(String, ScalarKind, line: Int)
    case sequence([YAMLTree], line: Int)
    case mapping([(key: String, value: YAMLTree)], line: Int)

    var line: Int {
        switch self {
        case .scalar(_, _, let line), .sequence(_, let line), .mapping(_, let line): line
        }
    }

    var text: String? {
        if case .scalar(let text, let kind, _) = self, kind != .null { return text }
        return nil
    }

    var isNull: Bool {
        if case .scalar(_, .null, _) = self { return true }
        return false
    }

    var entries: [(key: String, value: YAMLTree)]? {
        if case .mapping(let entries, _) = self { return entries }
        return nil
    }

    subscript(key: String) -> YAMLTree? {
        self.entries?.first { $0.key == key }?.value
    }

    /// A scalar, or each scalar of a sequence of scalars.
    var texts: [String]? {
        switch self {
        case .scalar: return self.text.map { [$0] }
        case .sequence(let items, _):
            let texts = items.compactMap(\.text)
            return texts.count == items.count ? texts : nil
        case .mapping: return nil
        }
    }

    /// Every document in `yaml`.
    static func documents(_ yaml: String) throws(SigmaError) -> [YAMLTree] {
        do {
            var trees: [YAMLTree] = []
            var documents = try Yams.compose_all(yaml: yaml)
            while let node = documents.next() { trees.append(Self(node)) }
            // The sequence stops at a syntax error and keeps it rather than throwing.
            if let error = documents.error { throw error }
            return trees
        } catch let error as YamlError {
            throw SigmaError(message: "not valid YAML: \(Self.describe(error))", line: Self.line(of: error))
        } catch {
            throw SigmaError(message: "not valid YAML: \(error)", line: nil)
        }
    }

    private init(_ node: Node) {
        let line = node.mark?.line ?? 0
        switch node {
        case .scalar(let scalar):
            let kind: ScalarKind
            switch node.tag.rawValue {
            case Tag.Name.int.rawValue: kind = .integer
            case Tag.Name.float.rawValue: kind = .float
            case Tag.Name.bool.rawValue: kind = .boolean
            case Tag.Name.null.rawValue: kind = .null
            default: kind = .string
            }
            self = .scalar(scalar.string, kind, line: line)
        case .sequence(let sequence):
            self = .sequence(sequence.map { Self($0) }, line: line)
        case .mapping(let mapping):
            self = .mapping(mapping.map { (key: $0.key.string ?? "", value: Self($0.value)) }, line: line)
        case .alias:
            self = .scalar("", .null, line: line)
        }
    }

    private static func describe(_ error: YamlError) -> String {
        switch error {
        case .scanner(_, let problem, _, _), .parser(_, let problem, _, _), .composer(_, let problem, _, _):
            return problem
        default:
            return "\(error)"
        }
    }

    private static func line(of error: YamlError) -> Int? {
        switch error {
        case .scanner(_, _, let mark, _), .parser(_, _, let mark, _), .composer(_, _, let mark, _): mark.line
        default: nil
        }
    }
}

/// Why a Sigma rule was refused, with the line of the YAML it is about.
public struct SigmaError: Error, Sendable, Hashable, CustomStringConvertible {
    public let message: String
    public let line: Int?

    public init(message: String, line: Int?) {
        self.message = message
        self.line = line
    }

    public var description: String { self.line.map { "line \($0): \(self.message)" } ?? self.message }
}
