/// A JSON number as written, so an id of 20 digits or a price of 0.10 is not rounded through a Double.
package struct JSONNumber: Sendable {
    package var text: String
    package var isInteger: Bool

    /// Integers as written; integral values written as decimals (`1.0`, `1e3`) as integers; others
    /// in Swift's shortest round-trip form.
    package var normalized: String {
        if self.isInteger { return self.text }
        guard let value = Double(self.text) else { return self.text }
        if value.rounded() == value, abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }
}
