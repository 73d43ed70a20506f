import Foundation
import Testing
import WFACore

@testable import WFAPostgres

@Suite(.enabled(if: TestDatabase.isEnabled, "needs PostgreSQL: run scripts/services.sh start"))
struct PostgresArrayTests {
    @Test("instants and days sent as integers are the server's timestamps and dates for their text")
    func integerInstantsAndDays() async throws {
        let instants = [
            1_795_219_200_123_456, -1, 0, 1, 4_102_444_799_999_999, -62_135_596_800_000_000, 1_773_144_000_000_001,
        ].map(EpochMicroseconds.date)
        let days = instants.map(UTCDay.init)
        try await TestDatabase.withFreshDatabase { database, _ in
            let matches = try await database.pool.withConnection { connection in
                try connection.query(
                    """
                    SELECT count(*) FILTER (WHERE \(PostgresArray.instant("i")) = t AND \(PostgresArray.day("d")) = (t AT TIME ZONE 'UTC')::date)
                    FROM unnest($1::bigint[], $2::int[], $3::timestamptz[]) AS u(i, d, t)
                    """,
                    [
                        PostgresArray.epochMicroseconds(instants), PostgresArray.dayIndexes(days),
                        .text("{" + instants.map { TimestampFormat.string(from: $0) }.joined(separator: ",") + "}"),
                    ]
                ).integer()
            }
            #expect(matches == instants.count)
        }
    }

    @Test("binary array parameters reach the server element for element; NUL becomes U+FFFD")
    func binaryArrays() async throws {
        let texts = [#"a"b"#, #"c\d"#, "e\u{0}f", "wéb01 ☃", "", "{x,y}", "NULL"]
        let integers: [Int64] = [1, -2, 0, .max, .min]
        try await TestDatabase.withFreshDatabase { database, _ in
            try await database.pool.withConnection { connection in
                let readTexts = try connection.query(
                    "SELECT t FROM unnest($1::text[]) WITH ORDINALITY AS u(t, n) ORDER BY n",
                    [PostgresArray.binary(texts)]
                ).rows.map { $0[0] }
                #expect(readTexts == texts.map { $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") })
                let readIntegers = try connection.query(
                    "SELECT i::text FROM unnest($1::bigint[]) WITH ORDINALITY AS u(i, n) ORDER BY n",
                    [PostgresArray.binary(integers)]
                ).rows.map { $0[0].flatMap { Int64($0) } }
                #expect(readIntegers == integers)
                let readBools = try connection.query(
                    "SELECT b::text FROM unnest($1::bool[]) WITH ORDINALITY AS u(b, n) ORDER BY n",
                    [PostgresArray.binary([true, false, true])]
                ).rows.map { $0[0] }
                #expect(readBools == ["true", "false", "true"])
                let empty = try connection.query(
                    "SELECT cardinality($1::text[]), cardinality($2::bigint[]), cardinality($3::int[])",
                    [PostgresArray.binary([String]()), PostgresArray.binary([Int64]()), PostgresArray.dayIndexes([])]
                ).rows
                #expect(empty == [["0", "0", "0"]])
            }
        }
    }
}
