import Testing
import WFACore
import WFAParsing

/// Inputs the fuzzers (scripts/fuzz.sh) once crashed a parser with, kept in fixtures/fuzz and
/// replayed on every test run. Each must parse (to whatever) without trapping.
struct FuzzRegressionTests {
    /// File name, and the prefix its fuzz target put before the input.
    static let inputs = [("windows_xml-range.bin", "<Event"), ("file-range.bin", "")]

    @Test("crash inputs found by fuzzing now parse", arguments: Self.inputs)
    func crashInputsParse(name: String, prefix: String) throws {
        let bytes = Array(prefix.utf8) + (try Fixtures.bytes("fuzz/\(name)"))
        let results = Fixtures.parse(bytes)
        #expect(!results.isEmpty)
        #expect(results.allSatisfy { !$0.artifact.raw.isEmpty })
    }

    @Test("a Windows event whose closing tag comes before its value is read, not trapped on")
    func closingTagBeforeValue() {
        let artifact = Fixtures.parseLine(
            #"<Event><System><EventID>4625</EventID></System><EventData><Data Name="a"</Data>x></EventData></Event>"#)
        #expect(artifact.tags.contains("eventId:4625"))
    }
}
