import Foundation
import WFACore
import WFAStorage

/// JSON documents in `doc` columns, with wfa's wire conventions.
enum DocumentCoding {
    static func encode(_ value: some Encodable) throws -> String {
        try Self.encodeWithFoundation(value)
    }

    private static func encodeWithFoundation(_ value: some Encodable) throws -> String {
        do {
            return String(decoding: try WireFormat.makeEncoder().encode(value), as: UTF8.self)
        } catch {
            throw StorageError(.invalidData, "value cannot be encoded", underlying: error)
        }
    }

    /// Written directly (the engine saves every incident a batch changed); an incident the direct
    /// writer refuses goes to `JSONEncoder`, which refuses it with its own error.
    static func encode(_ incident: Incident) throws -> String {
        guard let bytes = WireFormat.encode(incident) else { return try Self.encodeWithFoundation(incident) }
        return String(decoding: bytes, as: UTF8.self)
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String?) throws -> Value {
        guard let text else { throw StorageError(.invalidData, "document is missing") }
        do {
            return try WireFormat.makeDecoder().decode(type, from: Data(text.utf8))
        } catch {
            throw StorageError(.invalidData, "stored document cannot be decoded", underlying: error)
        }
    }

    /// Decodes the first column of each row.
    static func decodeAll<Value: Decodable>(_ type: Value.Type, from result: QueryResult) throws -> [Value] {
        try result.rows.map { try Self.decode(type, from: $0.first ?? nil) }
    }
}

extension LibPQConnection {
    /// `count(*)` and one page of documents for a filtered, ordered listing.
    func page<Value: Decodable & Sendable>(
        _ type: Value.Type, table: String, filter: SQLFilter, orderBy: String, page: PageRequest
    ) throws -> Page<Value> {
        let (whereClause, parameters) = filter.build()
        let total = try self.query("SELECT count(*) FROM \(table) WHERE \(whereClause)", parameters).integer()
        let rows = try self.query(
            "SELECT doc FROM \(table) WHERE \(whereClause) ORDER BY \(orderBy) LIMIT \(page.limit) OFFSET \(page.offset)",
            parameters)
        return Page(
            items: try DocumentCoding.decodeAll(type, from: rows), total: total, limit: page.limit, offset: page.offset)
    }
}
