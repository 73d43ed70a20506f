import WFAStorage

/// A storage failure as the operator at the terminal sees it: with the detail and the server's
/// message, which an API client never sees.
struct OperatorError: Error, CustomStringConvertible {
    var storageError: StorageError

    var description: String {
        var text = "\(self.storageError.code): \(self.storageError.detail)"
        if let underlying = self.storageError.underlying { text += "\n  cause: \(String(describing: underlying))" }
        if self.storageError.code == .unavailable {
            text += "\n  hint: check that PostgreSQL is running and --database (or WFA_DATABASE_URL) points to it"
        }
        return text
    }

    /// Runs `body`, turning a ``StorageError`` into an ``OperatorError``.
    static func reporting<Result>(_ body: () async throws -> Result) async throws -> Result {
        do {
            return try await body()
        } catch let error as StorageError {
            throw OperatorError(storageError: error)
        }
    }
}
