import Testing

@testable import WFAPostgres

@Suite("Lock order")
struct LockOrderTests {
    @Test("the hash is FNV-1a: the same in every process, unlike Swift's seeded Hasher")
    func hashIsFNV1a() {
        // Published FNV-1a 64-bit test vectors.
        #expect(LockOrder.hash("") == 0xcbf2_9ce4_8422_2325)
        #expect(LockOrder.hash("a") == 0xaf63_dc4c_8601_ec8c)
        #expect(LockOrder.hash("foobar") == 0x8594_4171_f739_67e8)
    }

    @Test("entries go by hash, then by key; the order does not depend on the table's own order")
    func entriesFollowHashThenKey() {
        var table: [String: Int] = [:]
        for index in 0..<500 { table["ip:10.0.\(index / 250).\(index % 250)"] = index }
        let ordered = LockOrder.entries(of: table) { $0 }
        #expect(ordered.count == 500)
        #expect(Set(ordered.map(\.key)) == Set(table.keys))
        let hashes = ordered.map { LockOrder.hash($0.key) }
        #expect(hashes == hashes.sorted())
        for entry in ordered { #expect(table[entry.key] == entry.value) }
        // Another table with the same keys, filled in another order, yields the same sequence.
        var reversed: [String: Int] = [:]
        for key in table.keys.sorted().reversed() { reversed[key] = table[key] }
        #expect(LockOrder.entries(of: reversed) { $0 }.map(\.key) == ordered.map(\.key))
    }

    @Test("keys whose hashes are equal fall back to the keys' own order")
    func equalHashesFallBackToKeys() {
        let ordered = LockOrder.entries(of: ["b": 2, "a": 1, "c": 3]) { _ in "same" }
        #expect(ordered.map(\.key) == ["a", "b", "c"])
    }
}
