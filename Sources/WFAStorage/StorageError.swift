/// The one error type of every storage adapter.
///
/// `code` is stable and becomes the API's `code` field; `description` is safe to show anyone.
/// Details that may hold SQL, row data or server messages stay in `underlying` and `detail`,
/// which reach server logs only (through `debugDescription`).
public struct StorageError: Error, Sendable {
    public struct Code: RawRepresentable, Hashable, Sendable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { self.rawValue }

        /// The database cannot be reached or went away mid-operation; nothing of the failed
        /// call is visible. Safe to retry: every write is idempotent.
        public static let unavailable = Code(rawValue: "storage.unavailable")
        /// A uniqueness rule or an expected state did not hold (email taken, status changed meanwhile).
        public static let conflict = Code(rawValue: "storage.conflict")
        /// The record does not exist in this org.
        public static let notFound = Code(rawValue: "storage.not_found")
        /// The query cannot be answered as asked (bad range, limit out of bounds).
        public static let invalidQuery = Code(rawValue: "storage.invalid_query")
        /// A stored record could not be decoded, or a value cannot be stored.
        public static let invalidData = Code(rawValue: "storage.invalid_data")
        /// The database refused the statement for a reason not listed above; details are in the log.
        public static let queryFailed = Code(rawValue: "storage.query_failed")
        /// A transient conflict between concurrent transactions (deadlock, serialization); retry.
        public static let retryable = Code(rawValue: "storage.retryable")
        /// The schema is newer than this binary, or a migration failed.
        public static let schema = Code(rawValue: "storage.schema")
    }

    public var code: Code
    /// A short, data-free explanation for logs ("connection refused", "email already in use").
    public var detail: String
    public var underlying: (any Error)?

    public init(_ code: Code, _ detail: String, underlying: (any Error)? = nil) {
        self.code = code
        self.detail = detail
        self.underlying = underlying
    }
}

extension StorageError: CustomStringConvertible, CustomDebugStringConvertible {
    public var description: String { "StorageError(\(self.code.rawValue))" }

    public var debugDescription: String {
        var text = "StorageError(\(self.code.rawValue)): \(self.detail)"
        if let underlying { text += " [\(String(reflecting: underlying))]" }
        return text
    }
}
