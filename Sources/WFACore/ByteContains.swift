extension StringProtocol {
    /// Whether `needle` occurs in this text, compared as UTF-8 bytes. The needles on the parsing
    /// path are ASCII words, for which this is the same answer as `contains`, and the Unicode-aware
    /// `contains` cost more than the rest of some parses. Inlinable so that parsers get it
    /// specialized for their string type rather than generic across the module boundary.
    @inlinable package func containsBytes(of needle: String) -> Bool {
        let needle = needle.utf8
        guard let first = needle.first else { return true }
        let utf8 = self.utf8
        var index = utf8.startIndex
        while let match = utf8[index...].firstIndex(of: first) {
            if utf8[match...].starts(with: needle) { return true }
            index = utf8.index(after: match)
        }
        return false
    }
}
