import Foundation
import WFACore

/// Builds a `WHERE` clause with numbered parameters. Values always travel as parameters, never
/// spliced into SQL text, so no filter value can change the statement.
struct SQLFilter {
    private var conditions: [String] = []
    private(set) var parameters: [String?] = []

    /// Starts with the org condition every wfa query carries.
    init(org: Org.ID, column: String = "org_id") {
        self.add("\(column) = $?", org.rawValue)
    }

    /// Adds a condition whose `$?` placeholder is replaced by the next parameter number.
    mutating func add(_ condition: String, _ value: String?) {
        self.parameters.append(value)
        self.conditions.append(condition.replacingOccurrences(of: "$?", with: "$\(self.parameters.count)"))
    }

    /// Adds a condition without a parameter.
    mutating func add(_ condition: String) {
        self.conditions.append(condition)
    }

    /// The next parameter's placeholder, for callers that add parameters in other clauses.
    mutating func parameter(_ value: String?) -> String {
        self.parameters.append(value)
        return "$\(self.parameters.count)"
    }

    func build() -> (String, [String?]) {
        (self.conditions.joined(separator: " AND "), self.parameters)
    }

    /// `text` with LIKE's wildcards escaped by `!` (used with `ESCAPE '!'`).
    static func likeEscaped(_ text: String) -> String {
        var result = ""
        for character in text {
            if character == "%" || character == "_" || character == "!" { result.append("!") }
            result.append(character)
        }
        return result
    }
}
