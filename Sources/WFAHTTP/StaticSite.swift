public import Foundation
public import HTTPTypes
import NIOCore

/// A folder of static files (the browser UI) served from memory.
///
/// Every file is read once, when the site is loaded, so a request never touches the file system:
/// no path a client sends can reach outside the folder, and a half-written deploy cannot be served.
/// `/` is `index.html`. Answers carry a strong ETag (content hash) so browsers revalidate cheaply,
/// and headers that keep the page from being framed or sniffed; the Content-Security-Policy allows
/// only the site's own scripts, styles and connections (the API and `/ws` share its origin).
public struct StaticSite: Sendable {
    struct File: Sendable {
        var body: ByteBuffer
        var contentType: String
        var etag: String
    }

    private let files: [String: File]

    /// The number of files served.
    public var count: Int { self.files.count }

    /// Loads every regular file under `directory` (hidden files excepted).
    /// - Throws: when the folder cannot be read or has no `index.html`.
    public init(directory: URL) throws {
        let root = directory.standardizedFileURL.resolvingSymlinksInPath()
        guard
            let enumerator = FileManager.default.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey], options: [.skipsHiddenFiles])
        else { throw StaticSiteError(description: "cannot read \(root.path)") }
        var files: [String: File] = [:]
        let prefix = root.path.hasSuffix("/") ? root.path : root.path + "/"
        for case let url as URL in enumerator {
            guard try url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile == true else { continue }
            let path = url.resolvingSymlinksInPath().path
            guard path.hasPrefix(prefix) else { continue }
            let data = try Data(contentsOf: url)
            files["/" + path.dropFirst(prefix.count)] = File(
                body: ByteBuffer(bytes: data), contentType: Self.contentType(of: url.pathExtension),
                etag: "\"\(Self.fingerprint(data))\"")
        }
        guard files["/index.html"] != nil else {
            throw StaticSiteError(description: "\(root.path) has no index.html")
        }
        self.files = files
    }

    /// The answer for `request`, or nil when the site has no such file (the caller answers instead).
    public func response(to request: HTTPRequest) -> HTTPServerResponse? {
        guard request.method == .get || request.method == .head else { return nil }
        let target = request.path ?? "/"
        let path = String(target.prefix { $0 != "?" && $0 != "#" })
        guard let file = self.files[path == "/" ? "/index.html" : path] else { return nil }
        var fields = Self.protectiveFields
        fields[.contentType] = file.contentType
        fields[.eTag] = file.etag
        if request.headerFields[.ifNoneMatch] == file.etag {
            return HTTPServerResponse(head: HTTPResponse(status: .notModified, headerFields: fields))
        }
        fields[.contentLength] = String(file.body.readableBytes)
        return HTTPServerResponse(
            head: HTTPResponse(status: .ok, headerFields: fields),
            body: request.method == .head ? ByteBuffer() : file.body)
    }

    /// Sent with every file. Every file revalidates (`no-cache` with its ETag), so a new build is
    /// picked up on the next load without stale scripts mixing with a new page.
    static let protectiveFields: HTTPFields = {
        var fields = HTTPFields()
        fields[.cacheControl] = "no-cache"
        fields[.xContentTypeOptions] = "nosniff"
        fields[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data:; style-src 'self'; connect-src 'self'; "
            + "frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
        for (name, value) in [("X-Frame-Options", "DENY"), ("Referrer-Policy", "same-origin")] {
            if let name = HTTPField.Name(name) { fields[name] = value }
        }
        return fields
    }()

    static func contentType(of pathExtension: String) -> String {
        switch pathExtension.lowercased() {
        case "html": "text/html; charset=utf-8"
        case "js", "mjs": "text/javascript; charset=utf-8"
        case "css": "text/css; charset=utf-8"
        case "json", "map": "application/json"
        case "svg": "image/svg+xml"
        case "png": "image/png"
        case "ico": "image/x-icon"
        case "woff2": "font/woff2"
        case "txt": "text/plain; charset=utf-8"
        default: "application/octet-stream"
        }
    }

    /// FNV-1a over the content: enough to tell two builds of a file apart, which is all an ETag needs.
    static func fingerprint(_ data: Data) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in data {
            hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3
        }
        return String(hash, radix: 16) + "-" + String(data.count, radix: 16)
    }
}

/// Why a static site could not be loaded.
public struct StaticSiteError: Error, CustomStringConvertible {
    public var description: String
}
