import ArgumentParser
import Foundation
import WFAClient

/// `wfa login`: signs in and saves the token for later commands.
struct LoginCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "login", abstract: "Sign in to a wfa server and save the token (mode 0600) for the other commands."
    )

    @Option(help: "Your email.")
    var email: String

    @Option(help: "Your password (env WFA_PASSWORD; asked for when omitted on a terminal).")
    var password: String?

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let password: String
        if let given = self.password ?? ProcessInfo.processInfo.environment["WFA_PASSWORD"] {
            password = given
        } else if isatty(STDIN_FILENO) == 1, let typed = getpass("Password for \(self.email): ") {
            password = String(cString: typed)
        } else {
            throw CommandError(description: "give the password with --password or WFA_PASSWORD")
        }
        let server = try self.client.serverURL()
        let api = try self.client.client(requireCredential: false)
        switch try await api.login(body: .json(.init(email: self.email, password: password))) {
        case .ok(let ok):
            let login = try ok.body.json.data
            try SavedLogin(
                server: server.absoluteString, email: login.user.email, token: login.token, expiresAt: login.expiresAt
            )
            .save()
            if self.client.output == .json {
                try ClientOutput.printJSON(login.user)
            } else {
                print(
                    "Logged in to \(server.absoluteString) as \(login.user.email) (role \(login.user.roleId)); token valid until \(login.expiresAt)."
                )
            }
        case let other:
            throw ClientOutput.failure(other)
        }
    }
}

/// `wfa status`: version, uptime and health of a server (no login needed).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Show a wfa server's version, uptime and component health.")

    @OptionGroup var client: ClientOptions

    func run() async throws {
        let api = try self.client.client(requireCredential: false)
        switch try await api.getStatus() {
        case .ok(let ok):
            let status = try ok.body.json.data
            if self.client.output == .json { return try ClientOutput.printJSON(status) }
            print("wfa \(status.version), up \(status.uptimeSeconds) s")
            ClientOutput.printTable(
                ["COMPONENT", "HEALTHY", "DETAIL"],
                status.components.map { [$0.name, $0.healthy ? "yes" : "NO", $0.detail ?? ""] })
        case let other:
            throw ClientOutput.failure(other)
        }
    }
}
