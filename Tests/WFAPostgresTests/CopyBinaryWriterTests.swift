import Foundation
import Testing
import WFACore
import WFAStorage

@testable import WFAPostgres

@Suite("COPY binary payloads")
struct CopyBinaryWriterTests {
    @Test("a row is its field count, then each field's length and binary form, after the header")
    func rowLayout() {
        var writer = CopyBinaryWriter()
        writer.startRow(fields: 5)
        writer.appendText("a\u{0}")
        writer.appendInt16(-2)
        writer.appendTimestamp(Date(timeIntervalSince1970: 946_684_800.000_001))
        writer.appendTextArray([])
        writer.appendTextArray(["x"])
        let header: [UInt8] = Array("PGCOPY\n".utf8) + [0xff, 0x0d, 0x0a, 0x00] + [0, 0, 0, 0] + [0, 0, 0, 0]
        let row: [UInt8] =
            [0, 5]
            + [0, 0, 0, 4, UInt8(ascii: "a"), 0xef, 0xbf, 0xbd]  // NUL became U+FFFD
            + [0, 0, 0, 2, 0xff, 0xfe]
            + [0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 1]  // one microsecond after 2000-01-01
            + [0, 0, 0, 12, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25]
            + [0, 0, 0, 25, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 25, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1, UInt8(ascii: "x")]
        #expect(writer.finished() == header + row + [0xff, 0xff])
    }
}

@Suite("binary array parameters")
struct BinaryArrayTests {
    @Test("an array is its dimensions, element type and elements; an empty one has no dimensions")
    func arrayLayout() {
        #expect(
            PostgresArray.binary([Int64(-2)]).bytes
                == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 20, 0, 0, 0, 1, 0, 0, 0, 1]
                + [0, 0, 0, 8, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe])
        #expect(
            PostgresArray.dayIndexes([UTCDay(EpochMicroseconds.date(-1))]).bytes
                == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 23, 0, 0, 0, 1, 0, 0, 0, 1] + [0, 0, 0, 4, 0xff, 0xff, 0xff, 0xff])
        #expect(
            PostgresArray.binary([true]).bytes
                == [0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 16, 0, 0, 0, 1, 0, 0, 0, 1] + [0, 0, 0, 1, 1])
        #expect(PostgresArray.binary([String]()).bytes == [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 25])
    }
}

extension PostgresParameter {
    /// The binary form's bytes (empty for a text parameter).
    var bytes: [UInt8] {
        if case .binary(let bytes) = self { return bytes }
        return []
    }
}

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresCopyTests {
    @Test("an artifact with NUL in its text fields is stored and found by its entities, NUL read as U+FFFD")
    func nulInTextFields() async throws {
        try await TestDatabase.withFreshDatabase { database, _ in
            let org = Org.ID.random()
            var artifact = Artifact(
                orgID: org, timestamp: Date(timeIntervalSince1970: 1_795_219_200.123_456), source: "syslog\u{0}",
                raw: [0x00, 0xff])
            artifact.userName = "ro\u{0}ot"
            try await database.storage.artifacts.append([artifact])
            let stored = try await database.storage.artifacts.artifact(artifact.id, in: org)
            #expect(stored?.userName == "ro\u{0}ot")
            #expect(stored?.raw == [0x00, 0xff])
            #expect(stored?.timestamp == artifact.timestamp)
            let found = try await database.storage.artifacts.search(
                ArtifactQuery(source: "syslog\u{FFFD}", entity: EntityKey(type: .user, value: "ro\u{FFFD}ot")), in: org)
            #expect(found.items.map(\.id) == [artifact.id])
        }
    }
}
