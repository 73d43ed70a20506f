import ArgumentParser
import Foundation
import Logging
import Prometheus

/// The registry `GET /metrics` reads; metrics that modules make through swift-metrics land here.
enum ProcessMetrics {
    static let registry = PrometheusCollectorRegistry()
}

/// Options every command takes.
struct GlobalOptions: ParsableArguments {
    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (env WFA_LOG_LEVEL).")
    var logLevel: String?

    /// Bootstraps logging once for the process (only `wfa`'s commands call this) and returns the root logger.
    func bootstrapLogging(label: String = "wfa") throws -> Logger {
        let text = self.logLevel ?? ProcessInfo.processInfo.environment["WFA_LOG_LEVEL"] ?? "info"
        guard let level = Logger.Level(rawValue: text) else {
            throw ValidationError(
                "unknown log level '\(text)'; use one of trace, debug, info, notice, warning, error, critical")
        }
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        return Logger(label: label)
    }
}
