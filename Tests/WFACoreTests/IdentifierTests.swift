import Foundation
import Testing
import WFACore

struct IdentifierTests {
    @Test("random ids are lower-case version 7 UUIDs, all different")
    func randomIDsAreUUIDv7() throws {
        let ids = (0..<10_000).map { _ in Identifier<Artifact>.random().rawValue }
        #expect(Set(ids).count == ids.count)
        for id in ids.prefix(100) {
            let uuid = try #require(UUID(uuidString: id), "\(id) is not a UUID")
            #expect(id == uuid.uuidString.lowercased())
            let bytes = Array(id.utf8)
            #expect(bytes[14] == UInt8(ascii: "7"))
            #expect([UInt8(ascii: "8"), UInt8(ascii: "9"), UInt8(ascii: "a"), UInt8(ascii: "b")].contains(bytes[19]))
        }
    }

    @Test("the first 48 bits are the Unix time in milliseconds")
    func carriesCreationTime() throws {
        let id = Identifier<Artifact>.random().rawValue
        let hex = id.prefix(8) + id.dropFirst(9).prefix(4)
        let millis = try #require(UInt64(hex, radix: 16))
        let now = UInt64(Date().timeIntervalSince1970 * 1000)
        #expect(millis <= now && now - millis < 5_000)
    }

    @Test("an id made a millisecond later sorts later")
    func idsSortByCreationTime() async throws {
        let first = Identifier<Artifact>.random()
        try await Task.sleep(for: .milliseconds(2))
        let second = Identifier<Artifact>.random()
        #expect(first < second)
    }
}
