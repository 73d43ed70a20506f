import Testing

@testable import WFAPostgres

@Suite("libpq parameters")
struct LibPQParameterTests {
    @Test("a NUL anywhere in a parameter is found, so it can be replaced before C cuts the value short")
    func findsNUL() {
        #expect(!LibPQConnection.holdsNUL(""))
        #expect(!LibPQConnection.holdsNUL("{\"ip:10.0.0.1\",\"host:wéb01\"}"))
        #expect(LibPQConnection.holdsNUL("\u{0}"))
        #expect(LibPQConnection.holdsNUL(String(repeating: "a", count: 100_000) + "\u{0}"))
        let bridged = "x\u{0}y".lowercased()
        #expect(LibPQConnection.holdsNUL(bridged))
    }
}
