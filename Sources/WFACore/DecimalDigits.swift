extension [UInt8] {
    /// Appends an integer's decimal digits (with a leading `-` when negative), without the
    /// `String` that `String(value).utf8` would make first.
    @inlinable
    package mutating func appendDecimal(_ value: some BinaryInteger) {
        if value < 0 { self.append(UInt8(ascii: "-")) }
        var magnitude = UInt64(value.magnitude)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            var start = digits.count
            repeat {
                start -= 1
                digits[start] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
            } while magnitude > 0
            self.append(contentsOf: digits[start...])
        }
    }
}
