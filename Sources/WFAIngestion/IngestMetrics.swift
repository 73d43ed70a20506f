public import CoreMetrics
import Synchronization

/// The counters every receiver reports (exposed on `GET /metrics`):
///
/// - `wfa_ingest_messages_total{receiver}`: messages parsed and handed to the sink;
/// - `wfa_ingest_unknown_total{source}`: messages no parser recognized, per source, so an operator
///   sees which device sends a format wfa does not understand;
/// - `wfa_ingest_truncated_total{receiver}`: messages cut to the size limit;
/// - `wfa_ingest_dropped_total{receiver}`: UDP datagrams dropped because the queue was full;
/// - `wfa_ingest_rejected_total{receiver}`: API items refused (no raw, bad timestamp, too large);
/// - `wfa_ingest_framing_errors_total{receiver}`: TCP streams whose octet-counting header was broken.
public final class IngestMetrics: Sendable {
    public enum Counter: String, Sendable, CaseIterable {
        case messages = "wfa_ingest_messages_total"
        case unknown = "wfa_ingest_unknown_total"
        case truncated = "wfa_ingest_truncated_total"
        case dropped = "wfa_ingest_dropped_total"
        case rejected = "wfa_ingest_rejected_total"
        case framingErrors = "wfa_ingest_framing_errors_total"

        var dimension: String { self == .unknown ? "source" : "receiver" }
    }

    private let factory: any MetricsFactory
    private let counters = Mutex<[String: CoreMetrics.Counter]>([:])

    public init(factory: any MetricsFactory = MetricsSystem.factory) {
        self.factory = factory
    }

    /// Adds `amount` to `counter` for one receiver (or, for ``Counter/unknown``, one source).
    public func increment(_ counter: Counter, _ label: String, by amount: Int = 1) {
        guard amount > 0 else { return }
        let key = "\(counter.rawValue)\u{0}\(label)"
        let metric = self.counters.withLock { counters in
            if let existing = counters[key] { return existing }
            let created = CoreMetrics.Counter(
                label: counter.rawValue, dimensions: [(counter.dimension, label)], factory: self.factory)
            counters[key] = created
            return created
        }
        metric.increment(by: amount)
    }
}
