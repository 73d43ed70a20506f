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
                        "{" + instants.map { TimestampFormat.string(from: $0) }.joined(separator: ",") + "}",
                    ]
                ).integer()
            }
            #expect(matches == instants.count)
        }
    }
}
