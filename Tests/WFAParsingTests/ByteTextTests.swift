import Testing

@testable import WFAParsing

/// The byte-level helpers the parsers use in place of the standard library's Character-level ones
/// must give the same answers on the texts parsers see.
struct ByteTextTests {
    static let texts = [
        "", " ", "one", "  two  words ", "a  b   c", "Failed password for root from 10.0.0.1 port 22 ssh2",
        "café naïve résumé", "trailing ", " leading", "x",
    ]

    @Test("words are split(separator:) with empty runs left out, for bytes and for text", arguments: Self.texts)
    func wordsMatchSplit(text: String) {
        let bytes = Array(text.utf8)[...]
        #expect(bytes.words(separatedBy: .space) == bytes.split(separator: .space))
        let substring = Substring(text)
        #expect(substring.words(separatedBy: .space) == substring.split(separator: " "))
        // A slice of a longer string: offsets are its own.
        let inner = Substring("<<" + text + ">>").dropFirst(2).dropLast(2)
        #expect(inner.words(separatedBy: .space) == substring.split(separator: " "))
    }

    @Test("prefixes and suffixes compare bytes")
    func prefixesAndSuffixes() {
        let text = Substring("pam_unix(sshd:auth): authentication failure")
        #expect(text.hasBytePrefix("pam_unix("))
        #expect(!text.hasBytePrefix("PAM "))
        #expect(text.hasBytePrefix(""))
        #expect(text.hasByteSuffix("failure"))
        #expect(!text.hasByteSuffix("x failure"))
        #expect(!Substring("ab").hasByteSuffix("xab"))
    }

    @Test("trailing punctuation is dropped, and only that")
    func droppingTrailingBytes() {
        #expect(Substring("10.0.0.1:,").droppingLast(whileIn: [.colon, .comma]) == "10.0.0.1")
        #expect(Substring("::").droppingLast(whileIn: [.colon]) == "")
        #expect(Substring("a:b").droppingLast(whileIn: [.colon]) == "a:b")
    }
}
