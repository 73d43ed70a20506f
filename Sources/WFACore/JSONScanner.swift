/// Reads JSON logs and documents into a ``JSONTape``, read through ``JSONNode``.
///
/// Logs are mostly JSON, and Foundation's parser (with its NSNumber and bridging) cost more than
/// everything else a parser does, so this one reads bytes into typed values directly: no `Any`,
/// and no per-value allocation until a value is asked for. It is strict about structure (one value,
/// nothing after it but whitespace) and refuses nesting deeper than ``maximumDepth`` instead of
/// recursing without bound. Invalid UTF-8 inside strings is replaced, not refused: the raw bytes
/// are kept on the artifact anyway.
package enum JSONScanner {
    package static let maximumDepth = 512

    /// The document's value, or nil when `bytes` is not exactly one JSON value.
    package static func document(in bytes: ArraySlice<UInt8>) -> JSONNode? {
        JSONTape.read(bytes)
    }
}
