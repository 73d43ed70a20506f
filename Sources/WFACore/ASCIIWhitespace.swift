extension UInt8 {
    /// Space, tab, line feed or carriage return: the whitespace log text is trimmed of, tested on
    /// bytes (host names here, every parser in WFAParsing).
    @inlinable package var isWhitespace: Bool {
        self == UInt8(ascii: " ") || self == UInt8(ascii: "\t") || self == UInt8(ascii: "\n")
            || self == UInt8(ascii: "\r")
    }
}
