import Testing
import WFACore

@testable import WFAParsing

struct JSONScannerTests {
    func scan(_ text: String) -> JSONNode? { JSONScanner.document(in: Array(text.utf8)[...]) }

    @Test("objects, arrays, strings with escapes and surrogate pairs, literals")
    func readsValues() throws {
        let value = try #require(
            self.scan(#" {"a": "x\"y\\z\/\u00e9\ud83d\ude00\n", "b": [true, false, null, {"c": []}], "d": {}} "#))
        #expect(value.isObject)
        #expect(value["a"]?.text == "x\"y\\z/é😀\n")
        let array = try #require(value["b"]?.elements)
        #expect(array.count == 4)
        #expect(array[0].text == "true")
        #expect(array[2].kind == .null)
        #expect(array[3]["c"]?.isArray == true)
        #expect(value["d"]?.members.isEmpty == true)
        #expect(value.elementCount == 3 && value["b"]?.elementCount == 4 && value["d"]?.elementCount == 0)
        #expect(value["a"]?.elementCount == 0 && array[3]["c"]?.elementCount == 0, "a string, an empty array")
    }

    @Test(
        "numbers keep their text; integral decimals read as integers",
        arguments: [
            ("12345678901234567890", "12345678901234567890"), ("-7", "-7"), ("1.0", "1"), ("1e3", "1000"),
            ("0.25", "0.25"), ("-1.5E-3", "-0.0015"),
        ])
    func numbers(literal: String, normalized: String) throws {
        let number = try #require(self.scan(literal)?.number, "\(literal) did not read as a number")
        #expect(number.normalized == normalized)
    }

    @Test(
        "malformed documents are refused",
        arguments: [
            "", "{", "{\"a\"}", "{\"a\":1,}", "[1 2]", "{\"a\":1} x", "\"\\q\"", "\"\u{01}\"", "tru", "-", "1.", "1e",
            "{\"a\":\"\\ud83d\\u0041\"}", "\"\\u12G4\"", "\"C:\\Windows\\x\"", "\"a\\\"", "\"\\",
        ])
    func refusesMalformed(text: String) {
        #expect(self.scan(text) == nil)
    }

    @Test("whitespace runs of every length, spaces mixed with tabs and newlines, read the same")
    func whitespaceRuns() throws {
        for length in 0..<20 {
            let spaces = String(repeating: " ", count: length)
            let mixed = String(repeating: " \t\n", count: length)
            let text = "{\(spaces)\"a\"\(mixed):\n\(spaces)[1,\(spaces)2 ]\(spaces),\"b\":\(spaces)\"x \"}\(spaces)"
            let value = try #require(self.scan(text), "\(length) spaces")
            #expect(value["a"]?.elements.map { $0.text } == ["1", "2"], "\(length) spaces")
            #expect(value["b"]?.text == "x ", "\(length) spaces")
        }
    }

    @Test("a key written twice reads as its last value; members keep document order")
    func duplicateKeys() throws {
        let object = try #require(self.scan(#"{"b": 1, "a": 2, "b": 3}"#))
        #expect(object["b"]?.text == "3")
        #expect(object.members.map(\.key) == ["b", "a", "b"])
    }

    @Test("keys and values with escapes read as their decoded text")
    func escapedKeys() throws {
        let object = try #require(
            self.scan(#"{"\u0061": "first", "a\"b": 4, "path": "C:\\Windows\\System32\\cmd.exe", "a": "last"}"#))
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

    @Test("a string ends at its quote, and a control byte is refused, wherever they fall in the 8-byte words read")
    func stringBoundaries() throws {
        for length in 0..<20 {
            for position in 0...length {
                let head = String(repeating: "é", count: position / 2) + String(repeating: "x", count: position % 2)
                let tail = String(repeating: "y", count: length - position)
                let indent = String(repeating: " ", count: length)
                let plain = try #require(self.scan("{\"k\":\(indent)\"\(head)\(tail)\",\n\(indent)\"z\": 1}"))
                #expect(plain["k"]?.string == head + tail)
                #expect(plain["z"]?.text == "1")
                let escaped = try #require(self.scan("{\"k\": \"\(head)\\\"\(tail)\"}"))
                #expect(escaped["k"]?.string == head + "\"" + tail)
                #expect(self.scan("{\"k\": \"\(head)\u{01}\(tail)\"}") == nil)
            }
        }
    }

    @Test("nesting deeper than the limit is refused rather than recursed into")
    func depthLimit() {
        let depth = JSONScanner.maximumDepth
        #expect(self.scan(String(repeating: "[", count: depth) + String(repeating: "]", count: depth)) != nil)
        #expect(self.scan(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)) == nil)
    }
}
