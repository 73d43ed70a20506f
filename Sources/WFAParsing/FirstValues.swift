/// Looks up the first value of a key in a short list of pairs, as the vendor parsers do a few
/// times per event: scanning tens of pairs costs less than hashing them all into a dictionary.
struct FirstValues {
    let pairs: [(String, String)]

    subscript(key: String) -> String? {
        // Most keys differ in length, which a native string knows without comparing bytes.
        let length = key.utf8.count
        return self.pairs.first { $0.0.utf8.count == length && $0.0 == key }?.1
    }
}
