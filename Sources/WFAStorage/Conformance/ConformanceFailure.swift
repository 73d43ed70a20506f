/// A storage adapter broke a promise of its protocol.
///
/// Conformance suites are library code that any test framework can call, so they throw this
/// instead of asserting (the approach of NIO's `ByteToMessageDecoderVerifier`).
public struct ConformanceFailure: Error, Sendable, CustomStringConvertible {
    public var property: String
    public var message: String
    public var file: String
    public var line: Int

    public var description: String { "\(self.property): \(self.message) (\(self.file):\(self.line))" }
}

/// The checking vocabulary of the conformance suites.
struct Verifier {
    let property: String

    func expect(
        _ condition: @autoclosure () throws -> Bool, _ message: @autoclosure () -> String,
        file: String = #fileID, line: Int = #line
    ) throws {
        guard try condition() else {
            throw ConformanceFailure(property: self.property, message: message(), file: file, line: line)
        }
    }

    func expectEqual<Value: Equatable>(
        _ actual: Value, _ expected: Value, _ what: String, file: String = #fileID, line: Int = #line
    ) throws {
        try self.expect(actual == expected, "\(what): expected \(expected), got \(actual)", file: file, line: line)
    }

    /// Runs `body` and requires it to throw a ``StorageError`` with `code`.
    func expectError(
        _ code: StorageError.Code, _ what: String, file: String = #fileID, line: Int = #line,
        _ body: () async throws -> Void
    ) async throws {
        do {
            try await body()
        } catch let error as StorageError {
            try self.expectEqual(error.code, code, what, file: file, line: line)
            return
        }
        throw ConformanceFailure(property: self.property, message: "\(what): no error thrown", file: file, line: line)
    }
}
