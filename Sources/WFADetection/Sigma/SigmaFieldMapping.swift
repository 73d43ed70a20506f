import WFAParsing

/// Where a field named in a Sigma rule lives in a wfa artifact.
///
/// Windows rules name event fields (`CommandLine`, `ParentImage`): the parser keeps those in
/// ``WFACore/Artifact/fields`` under their own names, except the few it promotes to columns
/// (`SourceIp` becomes `client_ip`), which are read back from there. Rules for other sources use
/// Sigma's generic taxonomy (`c-uri`, `src_ip`, `query`), mapped onto the normalized columns.
enum SigmaFieldMapping {
    /// The places to read `name` from, in order; the first that has a value is the field's value.
    static func candidates(for name: String, product: String?) -> [RuleField] {
        if let windows = Self.windows[name], product == "windows" || product == nil {
            return windows
        }
        if product == "windows" { return [.extracted(name)] }
        if let generic = Self.generic[name] { return [.extracted(name)] + generic }
        if let column = RuleField(name: name) { return [.extracted(name), column] }
        return [.extracted(name)]
    }

    private static let windows: [String: [RuleField]] = {
        var table: [String: [RuleField]] = [
            "EventID": [.vendorCode],
            "Provider_Name": [.extracted("provider")],
            "Channel": [.extracted("channel")],
            "Computer": [.serverHostname],
            "EventRecordID": [.extracted("record_id")],
            // Security 4688 names the processes differently from Sysmon; rules use Sysmon's names.
            "Image": [.extracted("Image"), .extracted("NewProcessName")],
            "ParentImage": [.extracted("ParentImage"), .extracted("ParentProcessName")],
        ]
        // The event fields the parser moves to columns when the value fits: read the column then.
        for (name, column) in WindowsEventColumns.promoted {
            if let field = RuleField(name: column.rawValue) { table[name] = [.extracted(name), field] }
        }
        return table
    }()

    private static let generic: [String: [RuleField]] = [
        "c-ip": [.clientIP], "src_ip": [.clientIP], "source.ip": [.clientIP], "id.orig_h": [.clientIP],
        "dst_ip": [.serverIP], "destination.ip": [.serverIP], "id.resp_h": [.serverIP],
        "src_port": [.clientPort], "id.orig_p": [.clientPort],
        "dst_port": [.serverPort], "id.resp_p": [.serverPort],
        "c-uri": [.uri], "cs-uri": [.uri], "url": [.uri], "uri": [.uri],
        "c-uri-query": [.uri], "cs-uri-query": [.uri],
        "cs-method": [.extracted("method")], "sc-status": [.extracted("status"), .action],
        "c-useragent": [.extracted("user_agent")], "cs-user-agent": [.extracted("user_agent")],
        "cs-referrer": [.extracted("referer")], "cs-host": [.fqdn], "r-dns": [.fqdn],
        "query": [.fqdn], "QueryName": [.fqdn],
        "User": [.userName], "user": [.userName], "username": [.userName], "USER": [.userName],
        "eventName": [.action], "eventSource": [.product],
        "pid": [.pid], "exe": [.filePath], "Image": [.filePath],
    ]
}
