import Testing
import WFACore

@testable import WFAParsing

struct JSONScannerTests {
    func scan(_ text: String) -> JSONElement? { JSONScanner.value(in: Array(text.utf8)[...]) }

    @Test("objects, arrays, strings with escapes and surrogate pairs, literals")
    func readsValues() throws {
        let value = try #require(
            self.scan(#" {"a": "x\"y\\z\/\u00e9\ud83d\ude00\n", "b": [true, false, null, {"c": []}], "d": {}} "#)?
                .object)
        #expect(value["a"]?.text == "x\"y\\z/é😀\n")
        guard case .array(let array)? = value["b"] else {
            Issue.record("b is not an array")
            return
        }
        #expect(array.count == 4)
        #expect(array[0].text == "true")
        guard case .null = array[2] else {
            Issue.record("null read as \(array[2])")
            return
        }
        #expect(array[3].object?["c"] != nil)
        #expect(value["d"]?.object?.members.isEmpty == true)
    }

    @Test(
        "numbers keep their text; integral decimals read as integers",
        arguments: [
            ("12345678901234567890", "12345678901234567890"), ("-7", "-7"), ("1.0", "1"), ("1e3", "1000"),
            ("0.25", "0.25"), ("-1.5E-3", "-0.0015"),
        ])
    func numbers(literal: String, normalized: String) throws {
        guard case .number(let number)? = self.scan(literal) else {
            Issue.record("\(literal) did not read as a number")
            return
        }
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

    @Test("a key written twice reads as its last value; members keep document order")
    func duplicateKeys() throws {
        let object = try #require(self.scan(#"{"b": 1, "a": 2, "b": 3}"#)?.object)
        #expect(object["b"]?.text == "3")
        #expect(object.members.map(\.key) == ["b", "a", "b"])
    }

    @Test("keys and values with escapes read as their decoded text")
    func escapedKeys() throws {
        let object = try #require(
            self.scan(#"{"\u0061": "first", "a\"b": 4, "path": "C:\\Windows\\System32\\cmd.exe", "a": "last"}"#)?.object
        )
        #expect(object["a"]?.text == "last")
        #expect(object["a\"b"]?.text == "4")
        #expect(object["path"]?.text == #"C:\Windows\System32\cmd.exe"#)
    }

    @Test("dotted paths reach nested objects, and a literal dotted key wins")
    func dottedPaths() throws {
        let record = try #require(
            JSONRecord(Array(#"{"id.orig_h": "10.0.0.1", "id": {"orig_h": "x"}, "a": {"b": {"c": 7}}}"#.utf8)[...]))
        #expect(record.string("id.orig_h") == "10.0.0.1")
        #expect(record.string("a.b.c") == "7")
        #expect(record.string("a.b") == nil)
        #expect(record.string("a.x.c") == nil)
        #expect(record.string("a.b.c.d") == nil)
    }

    @Test("nesting deeper than the limit is refused rather than recursed into")
    func depthLimit() {
        let depth = JSONScanner.maximumDepth
        #expect(self.scan(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) != nil)
        #expect(self.scan(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) == nil)
    }
}
