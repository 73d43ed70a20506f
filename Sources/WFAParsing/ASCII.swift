import Foundation
import WFACore

/// Byte classes the parsers test on the hot path, without going through `Character`.
extension UInt8 {
    static let space = UInt8(ascii: " ")
    static let tab = UInt8(ascii: "\t")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")
    static let quote = UInt8(ascii: "\"")
    static let equals = UInt8(ascii: "=")
    static let colon = UInt8(ascii: ":")
    static let comma = UInt8(ascii: ",")
    static let pipe = UInt8(ascii: "|")
    static let backslash = UInt8(ascii: "\\")

    var isDigit: Bool { self &- 0x30 < 10 }
    var isHexDigit: Bool { self.isDigit || (self | 0x20) &- 0x61 < 6 }
    var isLetter: Bool { (self | 0x20) &- 0x61 < 26 }
    var isAlphanumeric: Bool { self.isDigit || self.isLetter }
    var lowercasedASCII: UInt8 { (self &- 0x41 < 26) ? self | 0x20 : self }
}

extension Collection<UInt8> {
    /// The decimal number these bytes spell, or nil if any byte is not a digit or it overflows.
    var decimalValue: Int? {
        guard !self.isEmpty, self.count <= 18 else { return nil }
        var value = 0
        for byte in self {
            guard byte.isDigit else { return nil }
            value = value * 10 + Int(byte &- 0x30)
        }
        return value
    }

    var utf8String: String { String(decoding: self, as: UTF8.self) }

    /// The decimal port 0...65535 these bytes spell.
    var portValue: Int? {
        guard let value = self.decimalValue, value <= 65_535 else { return nil }
        return value
    }
}

extension ArraySlice<UInt8> {
    /// The runs of bytes between `separator`s, empty runs left out: `split(separator:)` as one
    /// loop. The standard library's called a closure for every byte, a tenth of an ASA parse.
    func words(separatedBy separator: UInt8) -> [ArraySlice<UInt8>] {
        var words: [ArraySlice<UInt8>] = []
        var start = self.startIndex
        for index in self.indices where self[index] == separator {
            if start < index { words.append(self[start..<index]) }
            start = index + 1
        }
        if start < self.endIndex { words.append(self[start...]) }
        return words
    }

    /// Without leading and trailing spaces, tabs and line ends.
    var trimmingWhitespace: ArraySlice<UInt8> {
        var slice = self
        while let first = slice.first, first.isWhitespace { slice = slice.dropFirst() }
        while let last = slice.last, last.isWhitespace { slice = slice.dropLast() }
        return slice
    }
}

extension Substring {
    /// Whether the text starts with `prefix`, byte for byte. `hasPrefix` on a Substring compares
    /// Characters (only `String` has a byte fast path), which was a sixth of an sshd parse.
    func hasBytePrefix(_ prefix: String) -> Bool { self.utf8.starts(with: prefix.utf8) }

    /// Whether the text ends with `suffix`, byte for byte (see ``hasBytePrefix(_:)``).
    func hasByteSuffix(_ suffix: String) -> Bool {
        self.utf8.count >= suffix.utf8.count && self.utf8.suffix(suffix.utf8.count).elementsEqual(suffix.utf8)
    }

    /// The runs of text between `separator` bytes, empty runs left out (see
    /// `ArraySlice.words(separatedBy:)`).
    func words(separatedBy separator: UInt8) -> [Substring] {
        let utf8 = self.utf8
        func word(_ offsets: Range<Int>) -> Substring {
            let start = utf8.index(utf8.startIndex, offsetBy: offsets.lowerBound)
            return Substring(utf8[start..<utf8.index(start, offsetBy: offsets.count)])
        }
        let words = utf8.withContiguousStorageIfAvailable { buffer in
            var words: [Substring] = []
            var start = 0
            for offset in buffer.indices where buffer[offset] == separator {
                if start < offset { words.append(word(start..<offset)) }
                start = offset + 1
            }
            if start < buffer.count { words.append(word(start..<buffer.count)) }
            return words
        }
        return words ?? utf8.split(separator: separator).map { Substring($0) }
    }

    /// Without the trailing bytes in `trailing` (ASCII punctuation after a word).
    func droppingLast(whileIn trailing: [UInt8]) -> Substring {
        var end = self.utf8.endIndex
        while end > self.utf8.startIndex, trailing.contains(self.utf8[self.utf8.index(before: end)]) {
            end = self.utf8.index(before: end)
        }
        return Substring(self.utf8[..<end])
    }
}

extension String {
    /// The part after the last `separator` byte (all of it when there is none).
    func lastComponent(separatedBy separator: UInt8) -> String {
        guard let last = self.utf8.lastIndex(of: separator) else { return String(self) }
        return String(self[self.utf8.index(after: last)...])
    }

    /// Parses a decimal port 0...65535.
    var portNumber: Int? { self.utf8.portValue }
}

/// Substring search over bytes, for the parsers' hot paths (the generic `String` searches are
/// several times slower on short ASCII texts).
enum ByteSearch {
    /// Where `needle` first occurs in `haystack` (an index of `haystack`), or nil.
    static func firstOffset(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard let first = needle.first else { return haystack.startIndex }
        guard haystack.count >= needle.count else { return nil }
        // memchr finds candidates a word at a time; parsers look for several phrases in every
        // message, and a byte loop over the message for each was a fifth of an ASA parse.
        return haystack.withUnsafeBytes { text in
            needle.withUnsafeBytes { wanted -> Int? in
                guard let base = text.baseAddress, let wantedBase = wanted.baseAddress else { return nil }
                var offset = 0
                let last = text.count - wanted.count
                while offset <= last,
                    let match = memchr(base + offset, Int32(first), last - offset + 1)
                {
                    let found = base.distance(to: UnsafeRawPointer(match))
                    if memcmp(base + found, wantedBase, wanted.count) == 0 { return haystack.startIndex + found }
                    offset = found + 1
                }
                return nil
            }
        }
    }
}
