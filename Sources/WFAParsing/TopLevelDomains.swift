/// The top-level domains a token must end in to count as a domain name: every country code and the
/// generic ones seen in logs (plus the private `local`, `lan`, `internal`, `corp`, `home`). A name
/// under another TLD is still kept in its field; it is just not picked out of free text.
enum TopLevelDomains {
    static let known: Set<String> = [
        "ac", "ad", "ae", "aero", "af", "ag", "agency", "ai", "al", "am", "ao", "app", "aq", "ar", "arpa", "as",
        "asia", "at", "au", "aw", "ax", "az", "ba", "bb", "bd", "be", "bf", "bg", "bh", "bi", "biz", "bj", "blog",
        "bm", "bn", "bo", "br", "bs", "bt", "bw", "by", "bz", "ca", "cat", "cc", "cd", "center", "cf", "cg", "ch",
        "ci", "ck", "cl", "click", "cloud", "club", "cm", "cn", "co", "com", "company", "coop", "corp", "cr", "cu",
        "cv", "cw", "cx", "cy", "cz", "de", "dev", "digital", "dj", "dk", "dm", "do", "dz", "ec", "edu", "ee", "eg",
        "email", "er", "es", "et", "eu", "fi", "fj", "fk", "fm", "fo", "fr", "ga", "gd", "ge", "gf", "gg", "gh",
        "gi", "gl", "global", "gm", "gn", "gov", "gp", "gq", "gr", "group", "gs", "gt", "gu", "gw", "gy", "hk", "hm",
        "hn", "home", "host", "hr", "ht", "hu", "id", "ie", "il", "im", "in", "info", "int", "internal", "io", "iq",
        "ir", "is", "it", "je", "jm", "jo", "jobs", "jp", "ke", "kg", "kh", "ki", "km", "kn", "kp", "kr", "kw", "ky",
        "kz", "la", "lan", "lb", "lc", "li", "link", "live", "lk", "local", "lr", "ls", "lt", "lu", "lv", "ly", "ma",
        "mc", "md", "me", "mg", "mh", "mil", "mk", "ml", "mm", "mn", "mo", "mobi", "mp", "mq", "mr", "ms", "mt",
        "mu", "museum", "mv", "mw", "mx", "my", "mz", "na", "name", "nc", "ne", "net", "network", "news", "nf", "ng",
        "ni", "nl", "no", "np", "nr", "nu", "nz", "om", "online", "org", "pa", "page", "pe", "pf", "pg", "ph", "pk",
        "pl", "pm", "pn", "pr", "pro", "ps", "pt", "pw", "py", "qa", "re", "ro", "rs", "ru", "rw", "sa", "sb", "sc",
        "sd", "se", "security", "services", "sg", "sh", "shop", "si", "site", "sk", "sl", "sm", "sn", "so",
        "software", "solutions", "space", "sr", "ss", "st", "store", "su", "support", "sv", "sx", "sy", "systems",
        "sz", "tc", "td", "tech", "tel", "tf", "tg", "th", "tj", "tk", "tl", "tm", "tn", "to", "today", "tools",
        "top", "tr", "travel", "tt", "tv", "tw", "tz", "ua", "ug", "uk", "us", "uy", "uz", "va", "vc", "ve", "vg",
        "vi", "vn", "vu", "website", "wf", "world", "ws", "xyz", "ye", "yt", "za", "zm", "zone", "zw",
    ]

    /// Country codes that are also common file extensions: `name.ext` with one of these is a file.
    static let fileExtensions: Set<String> = [
        "cs", "gz", "js", "ko", "md", "ml", "pm", "ps", "py", "rb", "sh", "so", "vb", "xz",
    ]
}
