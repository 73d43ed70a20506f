import Testing

@testable import WFAParsing

struct JSONScannerTests {
    func scan(_ text: String) -> Any? { JSONScanner.value(in: Array(text.utf8)[...]) }

    @Test("objects, arrays, strings with escapes and surrogate pairs, literals")
    func readsValues() throws {
        let value = try #require(
            self.scan(#" {"a": "x\"y\\z\/\u00e9\ud83d\ude00\n", "b": [true, false, null, {"c": []}], "d": {}} "#)
                as? [String: Any])
        #expect(value["a"] as? String == "x\"y\\z/é😀\n")
        let array = try #require(value["b"] as? [Any])
        #expect(array.count == 4)
        #expect(array[0] as? Bool == true)
        #expect(array[2] is JSONNull)
        #expect((value["d"] as? [String: Any])?.isEmpty == true)
    }

    @Test(
        "numbers keep their text; integral decimals read as integers",
        arguments: [
            ("12345678901234567890", "12345678901234567890"), ("-7", "-7"), ("1.0", "1"), ("1e3", "1000"),
            ("0.25", "0.25"), ("-1.5E-3", "-0.0015"),
        ])
    func numbers(literal: String, normalized: String) throws {
        let number = try #require(self.scan(literal) as? JSONNumber)
        #expect(number.normalized == normalized)
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"\\q\"", "\"\u{01}\"", "tru", "-", "1.", "1e",
            "{\"a\":\"\\ud83d\\u0041\"}",
        ])
    func refusesMalformed(text: String) {
        #expect(self.scan(text) == nil)
    }

    @Test("nesting deeper than the limit is refused rather than recursed into")
    func depthLimit() {
        let depth = JSONScanner.maximumDepth
        #expect(self.scan(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) != nil)
        #expect(self.scan(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) == nil)
    }
}
