import Foundation

/// Limits failed sign-ins per account and per source address in a sliding window, so passwords
/// cannot be guessed at speed (a failed attempt also costs the caller a scrypt round).
public actor LoginThrottle {
    /// Failures allowed per account within `window`. Default 5.
    let perAccount: Int
    /// Failures allowed per source address within `window`. Default 20.
    let perAddress: Int
    let window: Duration
    private var failures: [String: [ContinuousClock.Instant]] = [:]

    public init(perAccount: Int = 5, perAddress: Int = 20, window: Duration = .seconds(900)) {
        self.perAccount = perAccount
        self.perAddress = perAddress
        self.window = window
    }

    /// Whether another attempt for `account` from `address` may proceed now.
    public func allows(account: String, address: String, now: ContinuousClock.Instant = .now) -> Bool {
        self.recent("account:" + account, now: now) < self.perAccount
            && self.recent("address:" + address, now: now) < self.perAddress
    }

    public func recordFailure(account: String, address: String, now: ContinuousClock.Instant = .now) {
        self.failures["account:" + account, default: []].append(now)
        self.failures["address:" + address, default: []].append(now)
        // Keep the table bounded: an attacker cycling accounts cannot grow it without limit.
        if self.failures.count > 100_000 {
            self.failures = self.failures.filter { !$0.value.allSatisfy { now - $0 > self.window } }
        }
    }

    public func recordSuccess(account: String) {
        self.failures["account:" + account] = nil
    }

    private func recent(_ key: String, now: ContinuousClock.Instant) -> Int {
        guard var times = self.failures[key] else { return 0 }
        times.removeAll { now - $0 > self.window }
        self.failures[key] = times.isEmpty ? nil : times
        return times.count
    }
}
