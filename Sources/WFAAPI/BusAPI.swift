import Foundation
import HTTPTypes
import WFACore
import WFAMessaging
import WFAStorage

extension APIHandler {
    /// The bus, or 503 when this process runs without one.
    private func requireBus() throws -> any Bus {
        guard let bus = self.bus else {
            throw APIError(.serviceUnavailable, code: "bus.unavailable", "this process has no bus")
        }
        return bus
    }

    /// Whether a dead letter belongs to `org`: its original subject ends in the org's token.
    static func deadLetter(_ letter: DeadLetter, isIn org: Org.ID) -> Bool {
        guard let topic = BusTopic(subject: letter.message.subject) else { return false }
        return letter.message.subject == topic.subject(for: org.rawValue)
    }

    public func listDeadLetters(_ input: Operations.ListDeadLetters.Input) async throws
        -> Operations.ListDeadLetters.Output
    {
        let principal = try self.principal()
        let limit = input.query.limit ?? 50
        guard (1...PageRequest.maximumLimit).contains(limit) else {
            throw APIError.invalid("limit must be 1...\(PageRequest.maximumLimit)")
        }
        let letters = try await self.requireBus().deadLetters(limit: 10_000)
            .filter { Self.deadLetter($0, isIn: principal.orgID) }.prefix(limit)
        let data = letters.map { letter in
            Components.Schemas.DeadLetter(
                sequence: Int64(letter.sequence), id: letter.message.id, subject: letter.message.subject,
                consumer: letter.consumer, reason: letter.reason, deliveries: letter.deliveries,
                failedAt: letter.failedAt, payload: String(decoding: letter.message.payload, as: UTF8.self))
        }
        return .ok(.init(body: .json(.init(success: true, message: "ok", data: data))))
    }

    public func replayDeadLetter(_ input: Operations.ReplayDeadLetter.Input) async throws
        -> Operations.ReplayDeadLetter.Output
    {
        let principal = try self.principal()
        let bus = try self.requireBus()
        guard input.path.sequence > 0 else { throw APIError.invalid("sequence must be positive") }
        let sequence = UInt64(input.path.sequence)
        // Another org's letter is "not found", like any record of another org.
        let letters = try await bus.deadLetters(limit: 10_000)
        guard let letter = letters.first(where: { $0.sequence == sequence }),
            Self.deadLetter(letter, isIn: principal.orgID), try await bus.replayDeadLetter(sequence)
        else { throw StorageError(.notFound, "no dead letter \(sequence)") }
        return .ok(.init(body: .json(.init(success: true, message: "replayed"))))
    }
}
