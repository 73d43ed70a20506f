import Foundation
public import Logging
import WFAStorage

/// A private PostgreSQL cluster under a directory of wfa's: created on first start (initdb), reused
/// later, reachable only through a Unix socket in that directory, stopped cleanly on request.
///
/// It is wfa's default storage when no database URL is configured. PostgreSQL refuses to run as
/// root, so when wfa runs as root the cluster runs as the `postgres` system user.
public struct EmbeddedPostgres: Sendable {
    public struct Configuration: Sendable {
        /// The folder that holds the cluster (`data/`), its socket (`run/`) and its log.
        public var directory: String
        /// PostgreSQL's server binaries; found under /usr/lib/postgresql when nil.
        public var binDirectory: String?
        /// The socket's port number (it names the socket file; no TCP port is opened). Default 5432.
        public var socketPort: Int

        public init(directory: String, binDirectory: String? = nil, socketPort: Int = 5432) {
            self.directory = directory
            self.binDirectory = binDirectory
            self.socketPort = socketPort
        }
    }

    public let configuration: Configuration
    private let logger: Logger

    public init(configuration: Configuration, logger: Logger) {
        self.configuration = configuration
        self.logger = logger
    }

    private var runsAsPostgresUser: Bool { geteuid() == 0 }
    private var dataDirectory: String { self.configuration.directory + "/data" }
    private var socketDirectory: String { self.configuration.directory + "/run" }
    private var logFile: String { self.configuration.directory + "/postgres.log" }

    /// The libpq URL of the cluster's `wfa` database.
    public var url: String {
        let user = "wfa"
        return "postgresql:///wfa?host=\(self.socketDirectory)&port=\(self.configuration.socketPort)&user=\(user)"
    }

    /// What ``start()`` found and did.
    public struct StartOutcome: Sendable, Hashable {
        /// The cluster was initialized (initdb) by this call.
        public var created: Bool
        /// The cluster was already running (for example under another `wfa` process); whoever started
        /// it stops it.
        public var wasRunning: Bool

        public init(created: Bool, wasRunning: Bool) {
            self.created = created
            self.wasRunning = wasRunning
        }
    }

    /// Initializes the cluster if needed, starts it, and creates the `wfa` database if missing.
    /// - Throws: ``StorageError`` `storage.unavailable` with what went wrong and the log's last lines.
    @discardableResult
    public func start() async throws -> StartOutcome {
        let bin = try self.binDirectory()
        try FileManager.default.createDirectory(atPath: self.configuration.directory, withIntermediateDirectories: true)
        if self.runsAsPostgresUser {
            guard (try? await self.run("/usr/bin/test", ["-x", self.configuration.directory], quiet: true)) != nil
            else {
                throw StorageError(
                    .unavailable,
                    "PostgreSQL runs as the postgres user, which cannot reach \(self.configuration.directory); "
                        + "choose a data directory outside private home folders, such as /var/lib/wfa")
            }
            try await self.run("/bin/chown", ["-R", "postgres:postgres", self.configuration.directory], asOwner: false)
        }
        try FileManager.default.createDirectory(atPath: self.socketDirectory, withIntermediateDirectories: true)
        if self.runsAsPostgresUser {
            try await self.run("/bin/chown", ["postgres:postgres", self.socketDirectory], asOwner: false)
        }
        let created = !FileManager.default.fileExists(atPath: self.dataDirectory + "/PG_VERSION")
        if created {
            self.logger.info(
                "Initializing embedded PostgreSQL cluster", metadata: ["db.directory": "\(self.dataDirectory)"])
            try await self.run(
                bin + "/initdb",
                ["-D", self.dataDirectory, "-U", "wfa", "--auth=trust", "--encoding=UTF8", "--locale=C.UTF-8"])
        }
        try await self.waitForCrashedServerToBeReaped()
        let wasRunning = try await self.isRunning(bin: bin)
        if wasRunning {
            self.logger.info("Embedded PostgreSQL already running", metadata: ["db.directory": "\(self.dataDirectory)"])
        } else {
            try await self.run(
                bin + "/pg_ctl",
                [
                    "-D", self.dataDirectory, "-l", self.logFile, "-w", "-t", "60",
                    "-o", "-k \(self.socketDirectory) -p \(self.configuration.socketPort) -c listen_addresses=''",
                    "start",
                ])
            self.logger.info("Started embedded PostgreSQL", metadata: ["db.socket": "\(self.socketDirectory)"])
        }
        try await self.createDatabaseIfMissing(bin: bin)
        return StartOutcome(created: created, wasRunning: wasRunning)
    }

    /// Stops the cluster (fast shutdown: sessions end, committed data is kept). No-op when stopped.
    public func stop() async throws {
        let bin = try self.binDirectory()
        guard try await self.isRunning(bin: bin) else { return }
        try await self.run(bin + "/pg_ctl", ["-D", self.dataDirectory, "-m", "fast", "-w", "stop"])
        self.logger.info("Stopped embedded PostgreSQL", metadata: ["db.directory": "\(self.dataDirectory)"])
    }

    /// The postmaster's process id while the cluster runs.
    public func serverProcessID() -> Int32? {
        guard let text = try? String(contentsOfFile: self.dataDirectory + "/postmaster.pid", encoding: .utf8),
            let first = text.split(separator: "\n").first
        else { return nil }
        return Int32(first)
    }

    /// A server that was killed stays a zombie until init reaps it, and while it does, both
    /// `pg_ctl` and PostgreSQL's lock file check take it for a running server. Wait it out (bounded).
    private func waitForCrashedServerToBeReaped() async throws {
        guard let pid = self.serverProcessID() else { return }
        for _ in 0..<300 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let close = stat.lastIndex(of: ")"),
                stat[stat.index(after: close)...].split(separator: " ").first == "Z"
            else { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    private func isRunning(bin: String) async throws -> Bool {
        guard FileManager.default.fileExists(atPath: self.dataDirectory + "/PG_VERSION") else { return false }
        // pg_ctl status exits 0 when running, 3 when not.
        return (try? await self.run(bin + "/pg_ctl", ["-D", self.dataDirectory, "status"], quiet: true)) != nil
    }

    private func createDatabaseIfMissing(bin: String) async throws {
        let psql = [
            "-h", self.socketDirectory, "-p", String(self.configuration.socketPort), "-U", "wfa", "-d", "postgres",
            "-qAt",
        ]
        let probe = self.configuration.directory + "/.wfa-database-exists"
        try await self.run(
            bin + "/psql", psql + ["-o", probe, "-c", "SELECT 1 FROM pg_database WHERE datname = 'wfa'"])
        let exists = (try? String(contentsOfFile: probe, encoding: .utf8))?.contains("1") ?? false
        try? FileManager.default.removeItem(atPath: probe)
        if !exists {
            try await self.run(bin + "/psql", psql + ["-c", "CREATE DATABASE wfa"])
        }
    }

    private func binDirectory() throws -> String {
        if let configured = self.configuration.binDirectory { return configured }
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? [])
            .compactMap { Int($0) }.sorted(by: >)
        for version in versions where FileManager.default.isExecutableFile(atPath: "\(root)/\(version)/bin/initdb") {
            return "\(root)/\(version)/bin"
        }
        throw StorageError(
            .unavailable,
            "PostgreSQL server binaries not found under \(root); install them with scripts/install-deps.sh")
    }

    /// Runs a command to completion (as the cluster owner unless told otherwise), appending its output
    /// to the cluster log. Waits without blocking a thread.
    @discardableResult
    private func run(_ executable: String, _ arguments: [String], asOwner: Bool = true, quiet: Bool = false)
        async throws
        -> Int32
    {
        var command = (executable, arguments)
        if asOwner && self.runsAsPostgresUser {
            command = ("/usr/sbin/runuser", ["-u", "postgres", "--", executable] + arguments)
        }
        let log = self.configuration.directory + "/embedded-commands.log"
        let status = try await ChildProcess.run(command.0, command.1, outputPath: log)
        guard status == 0 else {
            let name = URL(fileURLWithPath: executable).lastPathComponent
            if !quiet {
                self.logger.debug(
                    "Embedded PostgreSQL command failed", metadata: ["command": "\(name)", "status": "\(status)"])
            }
            let tail =
                (try? String(contentsOfFile: self.logFile, encoding: .utf8))?.split(separator: "\n").suffix(5)
                .joined(separator: "\n") ?? ""
            throw StorageError(
                .unavailable, "\(name) exited with status \(status); see \(log) and \(self.logFile)",
                underlying: EmbeddedPostgresLog(text: tail))
        }
        return status
    }
}

/// The last lines of the server log, attached to errors for the operator's log.
struct EmbeddedPostgresLog: Error, CustomStringConvertible {
    var text: String
    var description: String { self.text }
}
