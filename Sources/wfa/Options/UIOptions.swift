import ArgumentParser
import Foundation
import WFAHTTP

/// Where the browser UI comes from and on which extra port it is offered.
///
/// The UI is served by the API server itself, so the pages, the API and `/ws` share one origin:
/// no CORS, and the WebSocket's Origin check holds. `--ui-port` adds a second listener (3000, as
/// the reference installation has) that serves the same thing.
struct UIOptions: ParsableArguments {
    @Option(help: "Folder of the built UI (env WFA_UI_DIR; default: ui/dist, built by scripts/build-ui.sh).")
    var uiDir: String?

    @Option(help: "Also serve the UI and API on this port; 0 picks a free one (env WFA_UI_PORT; default 3000).")
    var uiPort: Int?

    @Flag(help: "Serve the API only: no UI files and no UI port.")
    var noUI = false

    @Option(help: "Port of --role dispatcher's /ws; 0 picks a free one (env WFA_DISPATCHER_PORT; default 8083).")
    var dispatcherPort: Int?

    @Option(
        help: ArgumentHelp(
            "Another origin whose pages may open /ws, e.g. https://soc.example.com (repeatable; env WFA_ALLOWED_ORIGINS, comma-separated).",
            discussion: "A browser's Origin must otherwise be the server's own."))
    var allowedOrigin: [String] = []

    var environment: [String: String] { ProcessInfo.processInfo.environment }

    var liveDispatcherPort: Int {
        self.dispatcherPort ?? self.environment["WFA_DISPATCHER_PORT"].flatMap(Int.init) ?? 8083
    }

    var allowedOrigins: Set<String> {
        let configured = self.environment["WFA_ALLOWED_ORIGINS"]?.split(separator: ",").map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        return Set((self.allowedOrigin + (configured ?? [])).filter { !$0.isEmpty })
    }

    /// The extra port to listen on, or nil for none.
    var port: Int? {
        self.noUI ? nil : self.uiPort ?? self.environment["WFA_UI_PORT"].flatMap(Int.init) ?? 3000
    }

    /// The built UI, or nil when there is none to serve. A folder named explicitly must load; the
    /// default ones are looked for next to the working directory and next to the executable
    /// (`.build/release/wfa` of a checkout).
    func site() throws -> (site: StaticSite, directory: String)? {
        guard !self.noUI else { return nil }
        if let named = self.uiDir ?? self.environment["WFA_UI_DIR"] {
            do {
                return (try StaticSite(directory: URL(fileURLWithPath: named)), named)
            } catch {
                throw ValidationError("--ui-dir: \(error); build the UI with scripts/build-ui.sh")
            }
        }
        let executable = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        let candidates = [
            URL(fileURLWithPath: "ui/dist"),
            executable.deletingLastPathComponent().appendingPathComponent("../../../ui/dist"),
            executable.deletingLastPathComponent().appendingPathComponent("../../ui/dist"),
        ]
        for candidate in candidates {
            if let site = try? StaticSite(directory: candidate) {
                return (site, candidate.standardizedFileURL.path)
            }
        }
        return nil
    }
}
