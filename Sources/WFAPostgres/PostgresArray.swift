/// Array literals for array parameters (`unnest($2::text[])`), the way batches reach one statement.
enum PostgresArray {
    /// `{"a","b"}`; quotes and backslashes escaped, NUL (which text cannot hold) replaced by U+FFFD.
    static func literal(_ values: some Sequence<String>) -> String {
        var result = "{"
        var first = true
        for value in values {
            if !first { result += "," }
            first = false
            result += "\""
            for scalar in value.unicodeScalars {
                switch scalar {
                case "\"": result += "\\\""
                case "\\": result += "\\\\"
                case "\0": result += "\u{FFFD}"
                default: result.unicodeScalars.append(scalar)
                }
            }
            result += "\""
        }
        return result + "}"
    }

    static func literal(_ values: some Sequence<Bool>) -> String {
        "{" + values.map { $0 ? "t" : "f" }.joined(separator: ",") + "}"
    }

    static func literal(_ values: some Sequence<Int64>) -> String {
        "{" + values.map(String.init).joined(separator: ",") + "}"
    }
}
