import ArgumentParser
import Foundation
import WFAClient

/// How client commands reach the API and show results.
struct ClientOptions: ParsableArguments {
    enum OutputFormat: String, ExpressibleByArgument, CaseIterable {
        case table, json
    }

    @Option(help: "wfa server, e.g. http://127.0.0.1:8080 (env WFA_SERVER; default: the one you logged in to).")
    var server: String?

    @Option(help: "Authenticate with this API key instead of the saved login (env WFA_API_KEY).")
    var apiKey: String?

    @Option(help: "Output format: table or json.")
    var output: OutputFormat = .table

    /// The saved login, if any.
    var savedLogin: SavedLogin? { try? SavedLogin.load() }

    func serverURL() throws -> URL {
        let text =
            self.server ?? ProcessInfo.processInfo.environment["WFA_SERVER"] ?? self.savedLogin?.server
            ?? "http://127.0.0.1:8080"
        guard let url = URL(string: text), url.scheme == "http" || url.scheme == "https", url.host != nil else {
            throw CommandError(description: "--server must be an http(s) URL like http://127.0.0.1:8080, not '\(text)'")
        }
        return url
    }

    /// A client with the API key or saved token; `requireCredential` fails early with advice when there is none.
    func client(requireCredential: Bool = true) throws -> Client {
        let server = try self.serverURL()
        var credential: CredentialMiddleware.Credential?
        if let key = self.apiKey ?? ProcessInfo.processInfo.environment["WFA_API_KEY"] {
            credential = .apiKey(key)
        } else if let login = self.savedLogin, login.server == server.absoluteString {
            credential = .bearer(login.token)
        }
        if requireCredential && credential == nil {
            throw CommandError(
                description:
                    "not logged in to \(server.absoluteString): run `wfa login --server \(server.absoluteString)` or pass --api-key"
            )
        }
        return try Client.wfa(server: server, credential: credential)
    }
}

/// The token `wfa login` saved, in the user's config directory with mode 0600.
struct SavedLogin: Codable {
    var server: String
    var email: String
    var token: String
    var expiresAt: Date

    static var file: URL {
        let environment = ProcessInfo.processInfo.environment
        let base =
            environment["XDG_CONFIG_HOME"].map { URL(fileURLWithPath: $0) }
            ?? URL(fileURLWithPath: NSHomeDirectory()).appendingPathComponent(".config")
        return base.appendingPathComponent("wfa/credentials.json")
    }

    static func load() throws -> SavedLogin {
        try JSONDecoder.withISODates.decode(SavedLogin.self, from: Data(contentsOf: Self.file))
    }

    func save() throws {
        let directory = Self.file.deletingLastPathComponent()
        try FileManager.default.createDirectory(
            at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let data = try JSONEncoder.withISODates.encode(self)
        // Create with 0600 before writing: the token must never be readable by others, not even briefly.
        guard
            FileManager.default.createFile(
                atPath: Self.file.path, contents: nil, attributes: [.posixPermissions: 0o600])
        else { throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: Self.file.path]) }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: Self.file.path)
        try data.write(to: Self.file)
    }
}

extension JSONEncoder {
    static var withISODates: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        return encoder
    }
}

extension JSONDecoder {
    static var withISODates: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }
}
