internal import CLibPQ
import WFAStorage

/// The rows of one result, copied out of libpq's memory as text so the `PGresult` can be freed at once.
struct QueryResult: Sendable {
    /// `rows[row][column]`; nil for SQL NULL.
    let rows: [[String?]]
    /// Rows the command affected (`UPDATE 3` → 3).
    let affectedRows: Int

    init(_ result: OpaquePointer) {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var rows: [[String?]] = []
        rows.reserveCapacity(rowCount)
        for row in 0..<rowCount {
            var values: [String?] = []
            values.reserveCapacity(columnCount)
            for column in 0..<columnCount {
                if PQgetisnull(result, Int32(row), Int32(column)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(row), Int32(column))))
                }
            }
            rows.append(values)
        }
        self.rows = rows
        self.affectedRows = Int(String(cString: PQcmdTuples(result))) ?? 0
    }

    /// The only value of a one-row, one-column result.
    func scalar() throws -> String? {
        guard let row = self.rows.first, let value = row.first else {
            throw StorageError(.invalidData, "expected one value")
        }
        return value
    }

    /// The single value as an integer (counts).
    func integer() throws -> Int {
        guard let text = try self.scalar(), let value = Int(text) else {
            throw StorageError(.invalidData, "expected an integer")
        }
        return value
    }
}
