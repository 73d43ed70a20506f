/// The version `wfa` reports (`GET /api/v1/status`, `--version`).
enum WFAVersion {
    static let current = "0.1.0"
}
