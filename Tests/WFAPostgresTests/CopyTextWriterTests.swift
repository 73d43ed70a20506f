import Foundation
import Testing
import WFACore

@testable import WFAPostgres

struct CopyTextWriterTests {
    @Test("text values escape COPY's special characters and replace NUL")
    func textIsEscaped() {
        var writer = CopyTextWriter()
        writer.appendText("a\tb\nc\rd\\e\u{0}f")
        writer.appendNull()
        writer.appendText(utf8: Array(#"{"k":"v\"w"}"#.utf8) + [0x0a, 0x00])
        writer.appendText(utf8: [])
        writer.endRow()
        #expect(
            String(decoding: writer.bytes, as: UTF8.self)
                == "a\\tb\\nc\\rd\\\\e\u{FFFD}f\t\\N\t{\"k\":\"v\\\\\"w\"}\\n\u{FFFD}\t\n")
    }

    @Test("arrays quote elements and escape quotes and backslashes for both layers")
    func arraysAreEscaped() {
        var writer = CopyTextWriter()
        writer.appendTextArray(["ip:10.0.0.1", #"user:a"b\c"#])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"{"ip:10.0.0.1","user:a\\"b\\\\c"}"#)
    }

    @Test("bytea is written in hex with an escaped backslash")
    func byteaIsHex() throws {
        var writer = CopyTextWriter()
        writer.appendBytea([0x00, 0xff, 0x41])
        #expect(String(decoding: writer.bytes, as: UTF8.self) == #"\\x00ff41"#)
        #expect(try ByteaHex.decode(#"\x00ff41"#) == [0x00, 0xff, 0x41])
        #expect(throws: (any Error).self) { try ByteaHex.decode("00ff") }
        #expect(throws: (any Error).self) { try ByteaHex.decode(#"\x0g"#) }
    }

    @Test("array parameters escape quotes and backslashes and drop NUL")
    func arrayParametersAreEscaped() {
        #expect(PostgresArray.literal([#"a"b"#, #"c\d"#, "e\u{0}"]) == #"{"a\"b","c\\d","e\#u{FFFD}"}"#)
        #expect(PostgresArray.literal(["ip:10.0.0.1", "wéb01", ""]) == #"{"ip:10.0.0.1","wéb01",""}"#)
        #expect(PostgresArray.literal([String]()) == "{}")
        #expect(
            PostgresArray.literal([Int64(1), -2, 0, .max, .min]) == "{1,-2,0,9223372036854775807,-9223372036854775808}")
    }

    @Test("LIKE patterns escape their wildcards")
    func likePatternsAreEscaped() {
        #expect(SQLFilter.likeEscaped("50%_off!") == "50!%!_off!!")
    }
}
