import ArgumentParser
import Foundation
import WFAClient

/// A failed client command, as the CLI reports it (no usage text: the command was used correctly).
struct CommandError: Error, CustomStringConvertible {
    var description: String
}

/// Error responses of the document carry `{success, message, code}`.
protocol ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { get }
}

extension Components.Responses.BadRequest: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.Unauthorized: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.Forbidden: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.Conflict: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.Unprocessable: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.TooManyRequests: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Components.Responses.Unavailable: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.ChangeIncidentStatus.Output.Conflict: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.AssignIncident.Output.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.CreateWorkUnit.Output.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.UpdateWorkUnit.Output.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.CreateObservation.Output.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}
extension Operations.CreateUser.Output.NotFound: ErrorEnvelopeResponse {
    var envelope: Components.Schemas.ErrorResponse? { try? self.body.json }
}

enum ClientOutput {
    /// The error an operation output other than success stands for, with the server's message.
    static func failure(_ output: Any) -> CommandError {
        let mirror = Mirror(reflecting: output)
        if let child = mirror.children.first {
            if let response = child.value as? any ErrorEnvelopeResponse, let envelope = response.envelope {
                var text = "\(envelope.message) (\(envelope.code))"
                if envelope.code == "auth.unauthenticated" {
                    text += "\nhint: run `wfa login` again, or pass --api-key"
                }
                return CommandError(description: text)
            }
            if child.label == "undocumented", let status = Mirror(reflecting: child.value).children.first?.value {
                return CommandError(
                    description: "the server answered with status \(status), which the API does not document")
            }
        }
        return CommandError(description: "unexpected response")
    }

    static func printJSON(_ value: some Encodable) throws {
        print(String(decoding: try JSONEncoder.withISODates.encode(value), as: UTF8.self))
    }

    /// Prints rows under a header, each column as wide as its widest cell.
    static func printTable(_ header: [String], _ rows: [[String]]) {
        let widths = header.indices.map { column in
            ([header[column]] + rows.map { column < $0.count ? $0[column] : "" }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
                .joined(separator: "  ").trimmingCharacters(in: .whitespaces)
        }
        print(line(header))
        for row in rows { print(line(row)) }
    }
}
