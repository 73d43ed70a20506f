import Foundation
import NIOPosix
import WFAStorage

/// Runs a program to completion with posix_spawn, waiting for it on a NIO thread.
///
/// Not Foundation's `Process`: on Linux it learns of a child's exit through a descriptor the child
/// inherits, and `pg_ctl start` leaves a daemon holding it, so the exit would never be reported.
enum ChildProcess {
    /// - Returns: the exit status (128 + signal number when killed by a signal).
    static func run(_ executable: String, _ arguments: [String], outputPath: String) async throws -> Int32 {
        let output = open(outputPath, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        guard output >= 0 else {
            throw StorageError(.unavailable, "cannot open \(outputPath) for command output")
        }
        defer { close(output) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output, 1)
        posix_spawn_file_actions_adddup2(&actions, output, 2)
        let argv: [UnsafeMutablePointer<CChar>?] = ([executable] + arguments).map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let spawned = posix_spawn(&pid, executable, &actions, nil, argv, environ)
        guard spawned == 0 else {
            throw StorageError(.unavailable, "cannot start \(executable) (errno \(spawned))")
        }
        let child = pid
        let status = try await NIOThreadPool.singleton.runIfActive {
            var status: Int32 = 0
            while waitpid(child, &status, 0) == -1 && errno == EINTR {}
            return status
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
