import ArgumentParser

/// `wfa`: every role of the platform and the tools around it, in one executable.
@main
struct WFACommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "wfa",
        abstract: "wfa security analytics: ingest logs, build the knowledge graph, detect and work incidents.",
        discussion: """
            With no database configured, wfa runs a private PostgreSQL under its data directory \
            (first run: initdb; later runs: reuse). Pass --database postgres://... to use your own server.
            """,
        version: WFAVersion.current,
        subcommands: [ServeCommand.self, DatabaseCommand.self, BenchCommand.self]
    )
}
