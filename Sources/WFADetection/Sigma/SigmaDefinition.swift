public import WFACore

/// A Sigma rule read from YAML and compiled: a detection that tests single events, or a v2
/// correlation over the matches of other rules.
public struct SigmaDefinition: Sendable {
    public let id: String?
    /// The optional `name` correlations may refer to the rule by.
    public let name: String?
    public let title: String
    public let level: IncidentSeverity
    public let tags: [String]
    public let logsource: SigmaLogSource
    let body: Body

    enum Body: Sendable {
        case detection(searches: [SigmaSearch], condition: SigmaCondition)
        case correlation(SigmaCorrelation)
    }

    public var isCorrelation: Bool {
        if case .correlation = self.body { return true }
        return false
    }

    /// ATT&CK technique ids from the tags (`attack.t1059.001` → `T1059.001`).
    public var attackTechniques: [String] {
        self.tags.compactMap { tag in
            let lower = tag.lowercased()
            guard lower.hasPrefix("attack.t"), lower.dropFirst(8).first?.isNumber == true else { return nil }
            return String(tag.dropFirst(7)).uppercased()
        }
    }

    /// The rule's lifecycle stages from its ATT&CK tactic tags (`attack.initial-access`).
    public var tactics: [String] {
        self.tags.compactMap { tag in
            let lower = tag.lowercased()
            let name = lower.dropFirst(7)
            // Techniques (t1059), groups (g0016) and software (s0002) are letter + digits; tactics are words.
            guard lower.hasPrefix("attack."), name.first?.isLetter == true, name.dropFirst().first?.isNumber != true
            else { return nil }
            return String(lower.dropFirst(7))
        }
    }

    /// Whether a single event satisfies the detection (always false for a correlation).
    func matches(_ event: EventFields) -> Bool {
        guard case .detection(let searches, let condition) = self.body else { return false }
        return condition.evaluate { searches[$0].matches(event) }
    }

    /// Whether `artifact` alone satisfies the rule's detection, whatever its log source.
    public func matches(_ artifact: Artifact) -> Bool {
        self.matches(EventFields(artifact))
    }

    /// Reads every rule in a YAML text (a file may hold several documents, e.g. a correlation with
    /// the rules it uses). `placeholders` fill `|expand` values.
    public static func parse(yaml: String, placeholders: [String: [String]] = [:]) throws(SigmaError)
        -> [SigmaDefinition]
    {
        var definitions: [SigmaDefinition] = []
        for document in try YAMLTree.documents(yaml) where document.entries != nil {
            definitions.append(try SigmaDefinition(document, placeholders: placeholders))
        }
        guard !definitions.isEmpty else { throw SigmaError(message: "the text holds no Sigma rule", line: 1) }
        return definitions
    }

    private init(_ document: YAMLTree, placeholders: [String: [String]]) throws(SigmaError) {
        guard let title = document["title"]?.text, !title.isEmpty else {
            throw SigmaError(message: "a rule needs a title", line: document.line)
        }
        self.title = title
        self.id = document["id"]?.text
        self.name = document["name"]?.text
        let levelText = document["level"]?.text?.lowercased() ?? "medium"
        guard let level = IncidentSeverity(rawValue: levelText) else {
            throw SigmaError(
                message: "level '\(levelText)' is not informational, low, medium, high or critical",
                line: document["level"]?.line)
        }
        self.level = level
        self.tags = document["tags"]?.texts ?? []
        let source = document["logsource"]
        self.logsource = SigmaLogSource(
            product: source?["product"]?.text, category: source?["category"]?.text, service: source?["service"]?.text)
        if let correlation = document["correlation"] {
            self.body = .correlation(try SigmaCorrelation(correlation))
            return
        }
        guard let detection = document["detection"], let entries = detection.entries else {
            throw SigmaError(message: "a rule needs a detection (or a correlation)", line: document.line)
        }
        guard let conditionTree = detection["condition"] else {
            throw SigmaError(message: "the detection has no condition", line: detection.line)
        }
        var names: [String] = []
        var searches: [SigmaSearch] = []
        for (name, value) in entries where name != "condition" && name != "timeframe" {
            names.append(name)
            searches.append(try SigmaSearch.compile(value, product: self.logsource.product, placeholders: placeholders))
        }
        let conditionTexts: [String]
        switch conditionTree {
        case .sequence: conditionTexts = conditionTree.texts ?? []
        default: conditionTexts = conditionTree.text.map { [$0] } ?? []
        }
        guard !conditionTexts.isEmpty else {
            throw SigmaError(message: "the condition must be text or a list of texts", line: conditionTree.line)
        }
        var conditions: [SigmaCondition] = []
        for text in conditionTexts {
            conditions.append(try SigmaCondition.parse(text, names: names, line: conditionTree.line))
        }
        self.body = .detection(searches: searches, condition: conditions.count == 1 ? conditions[0] : .any(conditions))
    }
}
