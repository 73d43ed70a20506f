import Foundation
import WFACore

/// Recent matches of correlated rules, per correlation and group, bounded in time (each
/// correlation's timespan) and in number (``capacity`` groups; the stalest go first).
struct CorrelationWindows: Sendable {
    struct Key: Sendable, Hashable {
        let correlation: Int
        let group: [String]
    }

    struct Match: Sendable {
        let time: Date
        let artifactID: Artifact.ID
        /// The position of the matching rule in the correlation's `rules`.
        let member: Int
        /// The value-count field's value, if the correlation counts values.
        let value: String?
    }

    private var windows: [Key: [Match]] = [:]
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// Adds `match`, forgets what fell out of the timespan, and asks `satisfies` about the rest.
    /// - Returns: the artifacts of the window when it fired (the window then starts over, so one
    ///   burst fires once), else nil.
    mutating func record(
        _ match: Match, under key: Key, keeping timespan: TimeInterval, satisfies: ([Match]) -> Bool
    ) -> [Artifact.ID]? {
        let horizon = match.time.addingTimeInterval(-timespan)
        var matches = self.windows.removeValue(forKey: key) ?? []
        matches.removeAll { $0.time < horizon }
        matches.append(match)
        if satisfies(matches) {
            return matches.sorted { $0.time < $1.time }.map(\.artifactID)
        }
        if self.windows.count >= self.capacity { self.evictStalest(before: horizon) }
        self.windows[key] = matches
        return nil
    }

    /// Drops groups with nothing newer than `horizon`; if none are that old, the oldest tenth.
    private mutating func evictStalest(before horizon: Date) {
        let before = self.windows.count
        self.windows = self.windows.filter { ($0.value.last?.time ?? .distantPast) >= horizon }
        guard self.windows.count == before else { return }
        let ordered = self.windows.sorted {
            ($0.value.last?.time ?? .distantPast) < ($1.value.last?.time ?? .distantPast)
        }
        for (key, _) in ordered.prefix(max(1, before / 10)) { self.windows.removeValue(forKey: key) }
    }
}
