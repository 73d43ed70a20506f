extension StringProtocol {
    /// Whether `needle` occurs in this text, compared as UTF-8 bytes. The needles on the parsing
    /// path are ASCII words, for which this is the same answer as `contains`, and the Unicode-aware
    /// `contains` cost more than the rest of some parses. Inlinable so that parsers get it
    /// specialized for their string type rather than generic across the module boundary.
    @inlinable package func containsBytes(of needle: String) -> Bool {
        self.byteRange(of: needle) != nil
    }

    /// Where `needle` first occurs, compared byte for byte (no Unicode equivalence), as
    /// `containsBytes(of:)` finds it: Foundation's `range(of:)` bridged through NSString and was a
    /// tenth of a PAN-OS system event.
    @inlinable package func byteRange(of needle: String) -> Range<String.Index>? {
        let needle = needle.utf8
        let utf8 = self.utf8
        guard let first = needle.first else { return utf8.startIndex..<utf8.startIndex }
        var index = utf8.startIndex
        while let match = utf8[index...].firstIndex(of: first) {
            if utf8[match...].starts(with: needle) {
                return match..<utf8.index(match, offsetBy: needle.count)
            }
            index = utf8.index(after: match)
        }
        return nil
    }
}
