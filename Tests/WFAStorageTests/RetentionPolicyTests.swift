import Foundation
import Testing
import WFAStorage

struct RetentionPolicyTests {
    @Test("defaults are the reference product's periods")
    func defaultsMatchReference() {
        let policy = RetentionPolicy()
        #expect(policy.days(for: .artifacts) == 7)
        #expect(policy.days(for: .graph) == 7)
        #expect(policy.days(for: .workUnits) == 365)
        #expect(policy.days(for: .incidents) == 365)
        #expect(policy.days(for: .reports) == 1_825)
    }

    @Test("cutoff is exactly the period before now")
    func cutoffIsPeriodBeforeNow() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(RetentionPolicy().cutoff(for: .artifacts, now: now) == now.addingTimeInterval(-7 * 86_400))
    }

    @Test("a period under one day is refused", arguments: [0, -1, 36_501])
    func invalidPeriodIsRefused(days: Int) {
        #expect(throws: StorageError.self) { try RetentionPolicy(reportDays: days).validated() }
    }

    @Test("page requests outside 1...1000 are refused")
    func pageLimitsAreEnforced() throws {
        #expect(throws: StorageError.self) { try PageRequest(limit: 1_001).validated() }
        #expect(try PageRequest(limit: 1_000, offset: 5).validated().limit == 1_000)
    }
}
