internal import CLibPQ
import Foundation
import WFAStorage

/// One libpq connection. Every call blocks, so callers run them on the database's own threads
/// (see ``PostgresDatabase``), never on Swift's cooperative pool.
///
/// `@unchecked Sendable`: a connection is leased to exactly one caller at a time by
/// ``ConnectionPool``, so its mutable state is never touched from two threads at once.
final class LibPQConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    private var preparedNames: Set<String> = []

    /// Connects with a libpq connection string or URL.
    /// - Throws: ``StorageError`` `storage.unavailable` when the server cannot be reached or refuses us.
    init(conninfo: String) throws {
        guard let handle = PQconnectdb(conninfo) else {
            throw StorageError(.unavailable, "libpq could not allocate a connection")
        }
        guard PQstatus(handle) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(handle))
            PQfinish(handle)
            throw StorageError(.unavailable, "cannot connect to PostgreSQL", underlying: LibPQMessage(text: message))
        }
        // Server notices ("relation already exists, skipping") are not for the user's terminal.
        PQsetNoticeProcessor(handle, { _, _ in }, nil)
        self.handle = handle
    }

    deinit {
        PQfinish(self.handle)
    }

    /// False once the server went away; a broken connection is discarded, not returned to the pool.
    var isHealthy: Bool { PQstatus(self.handle) == CONNECTION_OK }

    /// Runs one statement with text parameters. Statements are prepared once per connection,
    /// named by a hash of their text, so hot queries skip planning.
    @discardableResult
    func query(_ sql: String, _ parameters: [String?] = []) throws -> QueryResult {
        try self.query(sql, parameters.map(PostgresParameter.text))
    }

    /// Runs one statement with parameters in text or binary form (see ``PostgresParameter``).
    @discardableResult
    func query(_ sql: String, _ parameters: [PostgresParameter]) throws -> QueryResult {
        let name = Self.statementName(for: sql)
        if !self.preparedNames.contains(name) {
            let prepared = PQprepare(self.handle, name, sql, Int32(parameters.count), nil)
            defer { PQclear(prepared) }
            try self.check(prepared, expecting: PGRES_COMMAND_OK)
            self.preparedNames.insert(name)
        }
        return try Self.withValues(parameters) { values, lengths, formats in
            let result = PQexecPrepared(self.handle, name, Int32(parameters.count), values, lengths, formats, 0)
            defer { PQclear(result) }
            return QueryResult(try self.check(result, expecting: nil))
        }
    }

    /// Runs SQL text that takes no parameters and may hold several statements (migrations, DDL).
    func execute(_ sql: String) throws {
        let result = PQexec(self.handle, sql)
        defer { PQclear(result) }
        try self.check(result, expecting: nil)
    }

    /// Streams `payload` (COPY text format) into `COPY ... FROM STDIN`.
    /// - Returns: the number of rows the server reports copied.
    @discardableResult
    func copyIn(_ copySQL: String, payload: [UInt8]) throws -> Int {
        let start = PQexec(self.handle, copySQL)
        defer { PQclear(start) }
        try self.check(start, expecting: PGRES_COPY_IN)
        // libpq takes Int32 lengths; send in chunks well below that.
        let chunkSize = 1 << 20
        var offset = 0
        var sendFailed = false
        payload.withUnsafeBufferPointer { buffer in
            buffer.baseAddress.map { base in
                base.withMemoryRebound(to: CChar.self, capacity: buffer.count) { bytes in
                    while offset < buffer.count {
                        let length = min(chunkSize, buffer.count - offset)
                        if PQputCopyData(self.handle, bytes + offset, Int32(length)) != 1 {
                            sendFailed = true
                            return
                        }
                        offset += length
                    }
                }
            }
        }
        let endAccepted = PQputCopyEnd(self.handle, sendFailed ? "client could not send COPY data" : nil) == 1
        var copied = 0
        var failure: (any Error)?
        while let result = PQgetResult(self.handle) {
            defer { PQclear(result) }
            do {
                try self.check(result, expecting: PGRES_COMMAND_OK)
                copied = Int(String(cString: PQcmdTuples(result))) ?? copied
            } catch {
                failure = failure ?? error
            }
        }
        if let failure { throw failure }
        guard endAccepted, !sendFailed, self.isHealthy else {
            throw StorageError(.unavailable, "connection lost during COPY", underlying: self.lastMessage())
        }
        return copied
    }

    /// Runs `body` inside BEGIN/COMMIT; rolls back when it throws.
    ///
    /// A COMMIT that fails with the connection leaves the outcome unknown: the server may have
    /// committed just before. `commitLost` turns that error into the one thrown (by default
    /// the same, which callers whose writes are idempotent may simply retry).
    func transaction<Result>(
        commitLost: (StorageError) -> any Error = { $0 }, _ body: () throws -> Result
    ) throws -> Result {
        try self.execute("BEGIN")
        let result: Result
        do {
            result = try body()
        } catch {
            if self.isHealthy { try? self.execute("ROLLBACK") }
            throw error
        }
        do {
            try self.execute("COMMIT")
        } catch let error as StorageError where error.code == .unavailable {
            throw commitLost(error)
        }
        return result
    }

    private func lastMessage() -> LibPQMessage {
        LibPQMessage(text: String(cString: PQerrorMessage(self.handle)))
    }

    /// Maps a result to success or a ``StorageError``. SQLSTATE classes decide the code: connection
    /// and shutdown errors are `unavailable` (retry later), unique violations `conflict`.
    @discardableResult
    private func check(_ result: OpaquePointer?, expecting expected: ExecStatusType?) throws -> OpaquePointer {
        guard let result else {
            throw StorageError(.unavailable, "no result from PostgreSQL", underlying: self.lastMessage())
        }
        let status = PQresultStatus(result)
        if let expected, status == expected { return result }
        if expected == nil, status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK { return result }
        let sqlState = PQresultErrorField(result, Int32(UInt8(ascii: "C"))).map { String(cString: $0) } ?? ""
        let message = LibPQMessage(text: String(cString: PQresultErrorMessage(result)), sqlState: sqlState)
        throw StorageError(
            Self.code(sqlState: sqlState, healthy: self.isHealthy), "statement failed", underlying: message)
    }

    static func code(sqlState: String, healthy: Bool) -> StorageError.Code {
        if !healthy || sqlState.hasPrefix("08") || sqlState.hasPrefix("57P") || sqlState == "53300" {
            return .unavailable
        }
        switch sqlState {
        case "23505": return .conflict
        case "40001", "40P01": return .retryable
        case "22P02", "22007", "22008", "22021", "54000": return .invalidData
        default: return .queryFailed
        }
    }

    /// FNV-1a of the statement text: stable names, so one SQL text is prepared once per connection.
    static func statementName(for sql: String) -> String {
        "wfa_" + String(LockOrder.hash(sql), radix: 16)
    }

    /// Whether `text` holds a NUL byte: memchr over the contiguous UTF-8 of native strings, since
    /// parameters include whole array literals of a batch (hundreds of kilobytes).
    static func holdsNUL(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return false }
            return memchr(base, 0, bytes.count) != nil
        }
    }

    /// The C arrays `PQexecPrepared` takes: each value's bytes, their lengths (read for binary
    /// values only) and formats (0 text, 1 binary).
    private static func withValues<Result>(
        _ parameters: [PostgresParameter],
        _ body: ([UnsafePointer<CChar>?], [Int32], [Int32]) throws -> Result
    ) throws -> Result {
        var owned: [UnsafeMutablePointer<CChar>?] = []
        var lengths: [Int32] = []
        var formats: [Int32] = []
        owned.reserveCapacity(parameters.count)
        lengths.reserveCapacity(parameters.count)
        formats.reserveCapacity(parameters.count)
        defer { owned.forEach { free($0) } }
        for parameter in parameters {
            switch parameter {
            case .text(let string):
                // PostgreSQL text cannot hold NUL, and in C it would silently cut the value short.
                // Column values are index keys; the exact value lives in the JSON document (where
                // NUL is escaped).
                let safe = string.map {
                    Self.holdsNUL($0) ? $0.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : $0
                }
                owned.append(safe.map { strdup($0) })
                lengths.append(0)
                formats.append(0)
            case .binary(let bytes):
                // Copied like the text values, so every pointer stays valid through the call.
                let copy = malloc(max(bytes.count, 1))?.assumingMemoryBound(to: CChar.self)
                bytes.withUnsafeBytes { source in
                    if let copy, let base = source.baseAddress { memcpy(copy, base, source.count) }
                }
                owned.append(copy)
                lengths.append(Int32(truncatingIfNeeded: bytes.count))
                formats.append(1)
            }
        }
        return try body(owned.map { $0.map { UnsafePointer($0) } }, lengths, formats)
    }
}

/// A statement parameter: text as SQL would read it, or the bytes of the type's binary form
/// (``BinaryEncoding``), which the server takes without parsing: a graph batch sends a dozen
/// arrays of thousands of elements.
enum PostgresParameter {
    case text(String?)
    case binary([UInt8])
}

/// Server text attached to a ``StorageError`` as `underlying`: may quote data, so logs only.
struct LibPQMessage: Error, CustomStringConvertible {
    var text: String
    var sqlState: String = ""
    var description: String { self.sqlState.isEmpty ? self.text : "[\(self.sqlState)] \(self.text)" }
}
