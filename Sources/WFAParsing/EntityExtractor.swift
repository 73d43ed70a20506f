public import WFACore

/// Finds the entities a text mentions: IPv4 and IPv6 addresses (also inside URLs and `ip:port`),
/// domains (validated against the known top-level domains, so `workerEnv.init` or `setup.py` are
/// not domains), e-mail addresses, MD5/SHA-1/SHA-256 hashes and URLs.
///
/// It splits the text into tokens on delimiters and classifies each token, byte by byte; no regular
/// expressions, so it runs on every event.
public struct EntityExtractor: Sendable {
    public init() {}

    /// Entities in `text`, in order of first appearance, without duplicates.
    public func entities(in text: some Collection<UInt8>) -> [EntityKey] {
        var found: [EntityKey] = []
        let bytes = Array(text)
        var start = 0
        var index = 0
        while index <= bytes.count {
            if index == bytes.count || Self.isDelimiter(bytes[index]) {
                if index > start { self.classify(bytes[start..<index], into: &found) }
                start = index + 1
            }
            index += 1
        }
        return found
    }

    /// Delimiters between tokens. `:` `/` `@` `.` `\` `[` `]` stay inside tokens: they are part of
    /// addresses, URLs, e-mail and `domain\user`.
    static func isDelimiter(_ byte: UInt8) -> Bool {
        switch byte {
        case .space, .tab, .newline, .carriageReturn, .quote, .comma, .pipe, .equals,
            UInt8(ascii: "'"), UInt8(ascii: ";"), UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "<"),
            UInt8(ascii: ">"), UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "`"), 0:
            return true
        default:
            return false
        }
    }

    /// Adds the entities one token names to `found`, unless already there. A message mentions a
    /// few entities: a scan of them beats hashing into a set, and appending to the caller's list
    /// beats a list per token.
    func classify(_ raw: ArraySlice<UInt8>, into found: inout [EntityKey]) {
        func add(_ key: EntityKey) {
            if !found.contains(key) { found.append(key) }
        }
        var token = raw
        // Trailing sentence punctuation and brackets are not part of an entity.
        while let last = token.last,
            last == UInt8(ascii: ".") || last == UInt8(ascii: ":") || last == UInt8(ascii: "]")
                || last == UInt8(ascii: "!") || last == UInt8(ascii: "?")
        {
            if last == UInt8(ascii: "]"), token.contains(UInt8(ascii: "[")) { break }
            token = token.dropLast()
        }
        while let first = token.first, first == UInt8(ascii: "[") || first == UInt8(ascii: "#") {
            if first == UInt8(ascii: "["), token.contains(UInt8(ascii: "]")) { break }
            token = token.dropFirst()
        }
        guard token.count >= 3 else { return }
        // Most tokens are plain words: every entity but a hash has a dot or a colon, so one pass
        // rejects them before the format checks.
        guard
            token.count == 32 || token.count == 40 || token.count == 64
                || token.contains(where: { $0 == UInt8(ascii: ".") || $0 == .colon })
        else { return }

        if let url = Self.url(token) {
            url.forEach(add)
        } else if let hash = Self.hash(token) {
            add(hash)
        } else if let address = Self.address(token) {
            add(EntityKey(type: .ip, value: address.description))
        } else if token.contains(UInt8(ascii: "@")) {
            if let email = Self.email(token) { add(email) }
        } else if let domain = Self.domain(token) {
            add(EntityKey(type: .domain, value: domain))
        }
    }

    static let urlSchemes: Set<String> = [
        "http", "https", "ftp", "ftps", "ws", "wss", "ldap", "ldaps", "smb", "file", "sftp",
    ]

    /// `scheme://host[:port]/path`: the URL itself and its host.
    static func url(_ token: ArraySlice<UInt8>) -> [EntityKey]? {
        guard let schemeEnd = token.firstIndex(of: .colon), schemeEnd > token.startIndex,
            token[token.startIndex..<schemeEnd].allSatisfy({ $0.isLetter || $0 == UInt8(ascii: "+") }),
            token[schemeEnd...].starts(with: "://".utf8)
        else { return nil }
        let scheme = String(decoding: token[..<schemeEnd], as: UTF8.self).lowercased()
        guard Self.urlSchemes.contains(scheme) else { return nil }
        let afterScheme = token.index(schemeEnd, offsetBy: 3)
        var authority = token[afterScheme...]
        if let slash = authority.firstIndex(where: {
            $0 == UInt8(ascii: "/") || $0 == UInt8(ascii: "?") || $0 == UInt8(ascii: "#")
        }) {
            authority = authority[..<slash]
        }
        if let at = authority.lastIndex(of: UInt8(ascii: "@")) { authority = authority[(at + 1)...] }
        var keys = [EntityKey(type: .url, value: String(decoding: token, as: UTF8.self))]
        if let address = Self.address(authority) {
            keys.append(EntityKey(type: .ip, value: address.description))
        } else {
            var host = authority
            if let colon = host.lastIndex(of: .colon) { host = host[..<colon] }
            if let domain = Self.domain(host) { keys.append(EntityKey(type: .domain, value: domain)) }
        }
        return keys
    }

    /// An IPv4 or IPv6 address, alone or as `ip:port`, `[v6]:port` or `ip/len`.
    static func address(_ token: ArraySlice<UInt8>) -> IPAddress? {
        var text = token
        if text.first == UInt8(ascii: "["), let close = text.firstIndex(of: UInt8(ascii: "]")) {
            text = text[(text.startIndex + 1)..<close]
        }
        if let slash = text.firstIndex(of: UInt8(ascii: "/")) {
            guard text[(slash + 1)...].decimalValue != nil else { return nil }
            text = text[..<slash]
        }
        let colons = text.reduce(0) { $0 + ($1 == .colon ? 1 : 0) }
        if colons == 1, let colon = text.firstIndex(of: .colon) {
            guard text[(colon + 1)...].decimalValue != nil else { return nil }
            text = text[..<colon]  // ipv4:port
        }
        guard let first = text.first, first.isHexDigit || first == .colon else { return nil }
        // Cheap shape checks before the full parse: IPv4 is digits and dots; IPv6 has two colons.
        if colons >= 2 {
            guard
                text.allSatisfy({ $0.isHexDigit || $0 == .colon || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "%") })
            else { return nil }
            // IPv6 text has a `::` gap, or all eight groups (seven colons), or six and an IPv4
            // tail: times (`08:26:10`) and MAC addresses stop here instead of in a failed parse.
            let hasGap = zip(text, text.dropFirst()).contains { $0 == .colon && $1 == .colon }
            guard hasGap || colons == 7 || colons == 6 && text.contains(UInt8(ascii: ".")) else { return nil }
        } else {
            guard text.count >= 7, text.allSatisfy({ $0.isDigit || $0 == UInt8(ascii: ".") }) else { return nil }
        }
        return IPAddress(utf8: text)
    }

    /// 32, 40 or 64 hex digits (MD5, SHA-1, SHA-256), optionally prefixed `MD5=`/`SHA256=` (Sysmon).
    static func hash(_ token: ArraySlice<UInt8>) -> EntityKey? {
        guard token.count == 32 || token.count == 40 || token.count == 64 else { return nil }
        // Checked and lower-cased in one pass, into a string that is dropped if a byte is not hex.
        var hasLetter = false
        let value = String(unsafeUninitializedCapacity: token.count) { buffer in
            for (offset, byte) in zip(buffer.indices, token) {
                guard byte.isHexDigit else { return 0 }
                hasLetter = hasLetter || !byte.isDigit
                buffer[offset] = byte.lowercasedASCII
            }
            return token.count
        }
        // All digits is a number, not a hash.
        guard hasLetter, value.utf8.count == token.count else { return nil }
        return EntityKey(type: .hash, value: value)
    }

    static func email(_ token: ArraySlice<UInt8>) -> EntityKey? {
        guard let at = token.firstIndex(of: UInt8(ascii: "@")), at > token.startIndex,
            token.lastIndex(of: UInt8(ascii: "@")) == at
        else { return nil }
        let local = token[..<at]
        guard
            local.allSatisfy({
                $0.isAlphanumeric || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: "-")
                    || $0 == UInt8(ascii: "+")
            }), let domain = Self.domain(token[(at + 1)...])
        else { return nil }
        return EntityKey(type: .email, value: String(decoding: local, as: UTF8.self).lowercased() + "@" + domain)
    }

    /// A domain name of two or more labels whose last label is a known top-level domain, lower-cased.
    static func domain(_ token: ArraySlice<UInt8>) -> String? {
        var labels = 1
        var labelLength = 0
        var lastDot: Int?
        for index in token.indices {
            let byte = token[index]
            if byte == UInt8(ascii: ".") {
                guard labelLength > 0, labelLength <= 63 else { return nil }
                labels += 1
                labelLength = 0
                lastDot = index
            } else if byte.isAlphanumeric || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "_") {
                labelLength += 1
            } else {
                return nil
            }
        }
        // Every top-level domain starts with a letter: version numbers and times stop here.
        guard labels >= 2, labelLength > 0, token.count <= 253, let lastDot, token[lastDot + 1].isLetter else {
            return nil
        }
        let topLevel = Self.lowercased(token[(lastDot + 1)...])
        guard TopLevelDomains.known.contains(topLevel) else { return nil }
        // `name.ext` where ext is also a country code (setup.py, install.sh) reads as a file.
        if labels == 2, TopLevelDomains.fileExtensions.contains(topLevel) { return nil }
        guard token.first.map({ $0 != UInt8(ascii: "-") }) ?? false else { return nil }
        return Self.lowercased(token)
    }

    /// ASCII letters lower-cased, written straight into the string.
    static func lowercased(_ bytes: ArraySlice<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { buffer in
            for (offset, byte) in zip(buffer.indices, bytes) { buffer[offset] = byte.lowercasedASCII }
            return bytes.count
        }
    }
}
