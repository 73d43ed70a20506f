import Foundation
import WFACore

/// sshd, PAM, su and sudo messages: who tried to log in, from where, and how it went.
enum LinuxAuthParser {
    static let programs: Set<String> = ["sshd", "sudo", "su", "login", "sshd-session", "systemd-logind", "passwd"]

    /// Whether a syslog program name (`sshd`, `sshd(pam_unix)`, `su(pam_unix)`) is one this parser reads.
    static func handles(program: String) -> Bool {
        Self.programs.contains(Self.baseProgram(program))
    }

    static func baseProgram(_ program: String) -> String {
        if let paren = program.firstIndex(of: "(") { return String(program[..<paren]) }
        return program
    }

    static func parse(_ message: String, program: String, into artifact: inout Artifact) {
        let base = Self.baseProgram(program)
        artifact.program = base
        artifact.vendor = "linux"
        artifact.product = base
        artifact.streamName = "linux_auth"
        var text = Substring(message)
        // "message repeated 3 times: [ Failed password ... ]"
        if text.hasBytePrefix("message repeated "), let open = text.utf8.firstIndex(of: UInt8(ascii: "[")),
            text.hasByteSuffix("]")
        {
            let count = text.dropFirst("message repeated ".count).prefix { $0 != " " }
            artifact.fields["repeated"] = String(count)
            text = text[text.index(after: open)..<text.index(before: text.endIndex)]
            text = text.drop { $0 == " " }
            text = text.droppingLast(whileIn: [.space])
        }
        if program.hasSuffix("(pam_unix)") || text.hasBytePrefix("pam_unix(") || text.hasBytePrefix("PAM ") {
            Self.parsePAM(text, into: &artifact)
        } else if base == "sudo" {
            Self.parseSudo(text, into: &artifact)
        } else {
            Self.parseSSH(text, into: &artifact)
        }
        if base == "su", artifact.messageType == .authSuccess || artifact.action == "session_opened" {
            artifact.messageType = .privilegeEscalation
        }
    }

    private static func parseSSH(_ text: Substring, into artifact: inout Artifact) {
        let words = text.words(separatedBy: .space)
        func word(_ index: Int) -> Substring? { index < words.count ? words[index] : nil }
        /// "[invalid user ]NAME from IP [port N]" starting at `index`.
        func readUserFromAddress(at start: Int) {
            var index = start
            if word(index) == "invalid", word(index + 1) == "user" {
                artifact.tags.append("invalid_user")
                index += 2
            }
            // A user name may contain spaces in theory; take words up to "from".
            var nameEnd = index
            while let next = word(nameEnd), next != "from" { nameEnd += 1 }
            guard nameEnd < words.count else { return }
            if nameEnd == index + 1 {
                artifact.assignUser(String(words[index]))
            } else if nameEnd > index {
                artifact.assignUser(words[index..<nameEnd].joined(separator: " "))
            }
            Self.readAddress(words, at: nameEnd + 1, into: &artifact)
        }
        artifact.severityCode = .low
        switch (word(0), word(1)) {
        case ("Failed", let method?) where word(2) == "for":
            artifact.messageType = .authFailure
            artifact.action = "failed_\(method)"
            artifact.severityCode = .medium
            readUserFromAddress(at: 3)
        case ("Accepted", let method?) where word(2) == "for":
            artifact.messageType = .authSuccess
            artifact.action = "accepted_\(method)"
            artifact.severityCode = .info
            readUserFromAddress(at: 3)
        case ("Invalid", "user"):
            artifact.messageType = .authFailure
            artifact.action = "invalid_user"
            artifact.tags.append("invalid_user")
            artifact.severityCode = .medium
            if let name = word(2), name != "from" { artifact.assignUser(String(name)) }
            if let from = words.firstIndex(of: "from") { Self.readAddress(words, at: from + 1, into: &artifact) }
        case ("input_userauth_request:", "invalid"):
            artifact.messageType = .authFailure
            artifact.action = "invalid_user"
            if let name = word(3) { artifact.assignUser(String(name)) }
        case ("Received", "disconnect") where word(2) == "from":
            artifact.messageType = "connection_closed"
            artifact.action = "disconnect"
            Self.readAddress(words, at: 3, into: &artifact)
        case ("Disconnected", "from"):
            artifact.messageType = "connection_closed"
            artifact.action = "disconnect"
            var index = 2
            if word(2) == "invalid" || word(2) == "authenticating" {
                if let name = word(4) { artifact.assignUser(String(name)) }
                index = 5
            } else if word(2) == "user" {
                if let name = word(3) { artifact.assignUser(String(name)) }
                index = 4
            }
            Self.readAddress(words, at: index, into: &artifact)
        case ("Connection", "closed") where word(2) == "by":
            artifact.messageType = "connection_closed"
            artifact.action = "connection_closed"
            var index = 3
            if word(3) == "invalid" || word(3) == "authenticating" {
                if let name = word(5) { artifact.assignUser(String(name)) }
                index = 6
            }
            Self.readAddress(words, at: index, into: &artifact)
        case ("reverse", "mapping"):
            // "reverse mapping checking getaddrinfo for HOST [IP] failed - POSSIBLE BREAK-IN ATTEMPT!"
            artifact.messageType = "reverse_mapping_failed"
            artifact.action = "reverse_mapping_failed"
            artifact.severityCode = .medium
            if let forIndex = words.firstIndex(of: "for"), let host = word(forIndex + 1) {
                artifact.assign(String(host), to: .clientHostname)
                if let bracketed = word(forIndex + 2), bracketed.hasBytePrefix("["), bracketed.hasByteSuffix("]") {
                    artifact.assign(String(bracketed.dropFirst().dropLast()), to: .clientIP)
                }
            }
        case ("error:", "maximum"):
            artifact.messageType = .authFailure
            artifact.action = "max_auth_attempts"
            artifact.severityCode = .medium
            if let forIndex = words.firstIndex(of: "for") { readUserFromAddress(at: forIndex + 1) }
        case ("Disconnecting:", "Too"):
            artifact.messageType = .authFailure
            artifact.action = "too_many_failures"
            if let forIndex = words.firstIndex(of: "for"), let name = word(forIndex + 1) {
                artifact.assignUser(String(name))
            }
        case ("Did", "not"):
            artifact.messageType = "connection_closed"
            artifact.action = "no_identification"
            if let from = words.firstIndex(of: "from") { Self.readAddress(words, at: from + 1, into: &artifact) }
        default:
            artifact.messageType = "auth_event"
            if let from = words.firstIndex(of: "from") { Self.readAddress(words, at: from + 1, into: &artifact) }
        }
    }

    /// "IP [port N]" at `index`, tolerating a trailing ':' ("from 1.2.3.4: 11: Bye").
    private static func readAddress(_ words: [Substring], at index: Int, into artifact: inout Artifact) {
        guard index < words.count else { return }
        let address = words[index].droppingLast(whileIn: [.colon, .comma])
        artifact.assign(String(address), to: .clientIP)
        if index + 2 < words.count, words[index + 1] == "port" {
            let port = words[index + 2].droppingLast(whileIn: [.colon])
            artifact.assign(String(port), to: .clientPort)
        }
    }

    /// "authentication failure; logname= uid=0 euid=0 tty=ssh ruser= rhost=1.2.3.4  user=root",
    /// "session opened for user news by (uid=0)", "check pass; user unknown".
    private static func parsePAM(_ text: Substring, into artifact: inout Artifact) {
        var body = text
        if body.hasBytePrefix("pam_unix("), let close = body.utf8.firstIndex(of: UInt8(ascii: ")")) {
            artifact.fields["pam_service"] = String(body[body.index(body.startIndex, offsetBy: 9)..<close])
            body = body[body.index(after: close)...].drop { $0 == ":" || $0 == " " }
        }
        if body.hasBytePrefix("authentication failure") || body.hasBytePrefix("PAM ") {
            artifact.messageType = .authFailure
            artifact.action = "authentication_failure"
            artifact.severityCode = .medium
            if body.hasBytePrefix("PAM "), let count = body.split(separator: " ").dropFirst().first {
                artifact.fields["failures"] = String(count)
            }
            for (key, value) in KeyValueScanner.pairs(in: Array(body.utf8)) {
                switch key {
                case "rhost": if !artifact.assign(value, to: .clientIP) { artifact.assign(value, to: .clientHostname) }
                case "user": artifact.assignUser(value)
                case "ruser", "logname": if !value.isEmpty { artifact.fields[key] = value }
                case "uid", "euid", "tty": artifact.fields[key] = value
                default: break
                }
            }
        } else if body.hasBytePrefix("session opened for user ") {
            artifact.messageType = .authSuccess
            artifact.action = "session_opened"
            let rest = body.dropFirst("session opened for user ".count)
            artifact.assignUser(String(rest.prefix { $0 != " " && $0 != "(" }))
            if let by = rest.utf8.firstRange(of: " by ".utf8) {
                artifact.fields["by"] = String(Substring(rest.utf8[by.upperBound...]))
            }
        } else if body.hasBytePrefix("session closed for user ") {
            artifact.messageType = "session_closed"
            artifact.action = "session_closed"
            artifact.assignUser(String(body.dropFirst("session closed for user ".count).prefix { $0 != " " }))
        } else if body.hasBytePrefix("check pass; user unknown") {
            artifact.messageType = .authFailure
            artifact.action = "user_unknown"
        } else {
            artifact.messageType = "auth_event"
        }
    }

    /// "alice : TTY=pts/0 ; PWD=/home/alice ; USER=root ; COMMAND=/bin/bash"
    private static func parseSudo(_ text: Substring, into artifact: inout Artifact) {
        let parts = text.split(separator: ";").map { $0.trimmingSpaces }
        guard let first = parts.first, let colon = first.firstIndex(of: ":") else {
            artifact.messageType = "auth_event"
            return
        }
        artifact.assignUser(first[..<colon].trimmingSpaces)
        let detail = first[first.index(after: colon)...].trimmingSpaces
        if detail.contains("incorrect password") || detail.contains("authentication failure")
            || detail.contains("NOT in sudoers")
        {
            artifact.messageType = .authFailure
            artifact.action = detail.contains("NOT in sudoers") ? "not_in_sudoers" : "incorrect_password"
            artifact.severityCode = .medium
        } else {
            artifact.messageType = .privilegeEscalation
            artifact.action = "sudo"
            artifact.severityCode = .low
        }
        for part in [detail] + parts.dropFirst() {
            guard let equals = part.firstIndex(of: "=") else { continue }
            let key = part[..<equals].trimmingSpaces
            let value = part[part.index(after: equals)...].trimmingSpaces
            switch key {
            case "TTY": artifact.fields["tty"] = value
            case "PWD": artifact.fields["pwd"] = value
            case "USER": artifact.fields["target_user"] = value
            case "COMMAND":
                artifact.fields["command"] = value
                artifact.filePath = String(value.prefix { $0 != " " })
            default: artifact.fields[key.lowercased()] = value
            }
        }
    }
}
