import Foundation
public import HTTPTypes
public import OpenAPIRuntime

/// Refuses `null` in the JSON bodies of operations whose request schemas declare no nullable
/// field and no extra properties.
///
/// The generated decoder reads an explicit `null` as "absent", so `{"assignee": null}` would
/// quietly mean "leave it" where the caller may have meant "clear it". A clear 400 is better than
/// a guess. (Older operations declare `null` as "keep the value" and are not checked.)
public struct NullFieldMiddleware: ServerMiddleware {
    static let checked: Set<String> = [
        "changeIncidentStatus", "assignIncident", "addIncidentNote", "createWorkUnit", "updateWorkUnit",
        "createObservation", "createLeadRule", "updateLeadRule", "createClassificationRule",
        "updateClassificationRule", "createSigmaRule", "updateSigmaRule", "testRule", "createNotificationChannel",
        "createNotificationRule",
    ]
    /// Bodies of these operations are small; a larger one is refused before it is read.
    static let maximumBodyBytes = 1 << 20

    public init() {}

    public func intercept(
        _ request: HTTPRequest, body: HTTPBody?, metadata: ServerRequestMetadata, operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let body, Self.checked.contains(operationID),
            request.headerFields[.contentType]?.lowercased().hasPrefix("application/json") == true
        else { return try await next(request, body, metadata) }
        let bytes: Data
        do {
            bytes = try await Data(collecting: body, upTo: Self.maximumBodyBytes)
        } catch {
            throw APIError.invalid("the body is over 1 MiB, more than any of these operations takes")
        }
        // Only a body that spells `null` somewhere needs the parse.
        if bytes.range(of: Data("null".utf8)) != nil,
            let json = try? JSONSerialization.jsonObject(with: bytes, options: [.fragmentsAllowed]),
            let path = Self.pathToNull(in: json, at: "")
        {
            throw APIError.invalid("\(path.isEmpty ? "the body" : path) is null; leave the field out instead")
        }
        return try await next(request, HTTPBody(bytes), metadata)
    }

    private static func pathToNull(in value: Any, at path: String) -> String? {
        switch value {
        case is NSNull:
            return path
        case let object as [String: Any]:
            for (key, child) in object {
                if let found = Self.pathToNull(in: child, at: path.isEmpty ? key : "\(path).\(key)") { return found }
            }
            return nil
        case let array as [Any]:
            for (index, child) in array.enumerated() {
                if let found = Self.pathToNull(in: child, at: "\(path)[\(index)]") { return found }
            }
            return nil
        default:
            return nil
        }
    }
}
