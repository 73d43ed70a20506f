import Foundation

/// A one-line progress bar on standard error for long operations: bar, percent, bytes, messages
/// and rate. Redrawn at most ten times a second, and only on a terminal; elsewhere (CI, pipes)
/// it prints nothing until ``finish(_:)``.
struct ProgressBar {
    let totalBytes: Int
    let isTerminal = isatty(STDERR_FILENO) == 1
    private let started = ContinuousClock.now
    private var lastDrawn = ContinuousClock.now - .seconds(1)

    init(totalBytes: Int) {
        self.totalBytes = max(1, totalBytes)
    }

    mutating func update(bytes: Int, messages: Int, label: String) {
        guard self.isTerminal, ContinuousClock.now - self.lastDrawn >= .milliseconds(100) else { return }
        self.lastDrawn = .now
        let fraction = min(1, Double(bytes) / Double(self.totalBytes))
        let width = 30
        let filled = Int(fraction * Double(width))
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        let line = String(
            format: "\r[%@] %3d%% %@/%@ %d messages %.0f/s %@", bar, Int(fraction * 100),
            Self.size(bytes), Self.size(self.totalBytes), messages, self.rate(messages), label)
        FileHandle.standardError.write(Data((line + "\u{1B}[K").utf8))
    }

    /// Ends the bar's line and prints `summary` (if any) on standard output.
    func finish(_ summary: String) {
        if self.isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
        if !summary.isEmpty { print(summary) }
    }

    func rate(_ count: Int) -> Double {
        let elapsed = ContinuousClock.now - self.started
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds > 0 ? Double(count) / seconds : 0
    }

    static func size(_ bytes: Int) -> String {
        switch bytes {
        case ..<1_024: return "\(bytes) B"
        case ..<(1_024 * 1_024): return String(format: "%.1f KiB", Double(bytes) / 1_024)
        default: return String(format: "%.1f MiB", Double(bytes) / 1_048_576)
        }
    }
}
