import Foundation
import HTTPTypes
import NIOCore
import Testing

@testable import WFAHTTP

/// How the built UI is served: from memory, only what the folder held, revalidated by ETag.
struct StaticSiteTests {
    /// A site folder with an index, a script in a subfolder, and a hidden file.
    static func site() throws -> (StaticSite, URL) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wfa-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(
            at: folder.appendingPathComponent("js"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>wfa</title>".utf8).write(to: folder.appendingPathComponent("index.html"))
        try Data("console.log(1)".utf8).write(to: folder.appendingPathComponent("js/app.js"))
        try Data("secret".utf8).write(to: folder.appendingPathComponent(".env"))
        return (try StaticSite(directory: folder), folder)
    }

    static func get(_ path: String, headers: HTTPFields = [:]) -> HTTPRequest {
        HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: path, headerFields: headers)
    }

    @Test("/ is index.html, files keep their type, and every answer carries the protective headers")
    func servesFiles() throws {
        let (site, folder) = try Self.site()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(site.count == 2, "the hidden file is not served")
        let index = try #require(site.response(to: Self.get("/")))
        #expect(index.head.status == .ok)
        #expect(index.head.headerFields[.contentType] == "text/html; charset=utf-8")
        #expect(String(buffer: index.body) == "<!doctype html><title>wfa</title>")
        #expect(index.head.headerFields[.contentSecurityPolicy]?.hasPrefix("default-src 'self'") == true)
        #expect(index.head.headerFields[.xContentTypeOptions] == "nosniff")
        let script = try #require(site.response(to: Self.get("/js/app.js?v=2")))
        #expect(script.head.headerFields[.contentType] == "text/javascript; charset=utf-8")
        #expect(String(buffer: script.body) == "console.log(1)")
    }

    @Test(
        "what the folder did not hold is left to the caller", arguments: ["/nope.js", "/.env", "/../index.html", "/js"])
    func unknownPaths(path: String) throws {
        let (site, folder) = try Self.site()
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(site.response(to: Self.get(path)) == nil)
    }

    @Test("only GET and HEAD are answered; HEAD without a body")
    func methods() throws {
        let (site, folder) = try Self.site()
        defer { try? FileManager.default.removeItem(at: folder) }
        var post = Self.get("/")
        post.method = .post
        #expect(site.response(to: post) == nil)
        var head = Self.get("/")
        head.method = .head
        let answer = try #require(site.response(to: head))
        #expect(answer.body.readableBytes == 0)
        #expect(answer.head.headerFields[.contentLength] == "33")
    }

    @Test("a browser holding the current ETag gets 304 and no body")
    func revalidation() throws {
        let (site, folder) = try Self.site()
        defer { try? FileManager.default.removeItem(at: folder) }
        let etag = try #require(site.response(to: Self.get("/"))?.head.headerFields[.eTag])
        let fresh = try #require(site.response(to: Self.get("/", headers: [.ifNoneMatch: etag])))
        #expect(fresh.head.status == .notModified)
        #expect(fresh.body.readableBytes == 0)
        let stale = try #require(site.response(to: Self.get("/", headers: [.ifNoneMatch: "\"old\""])))
        #expect(stale.head.status == .ok)
    }

    @Test("a folder without index.html is refused")
    func needsAnIndex() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("wfa-site-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(throws: StaticSiteError.self) { try StaticSite(directory: folder) }
    }
}

/// What the access log may show of a request target.
struct AccessLogTargetTests {
    @Test(
        "credentials in a query are redacted; everything else is kept",
        arguments: [
            ("/ws?access_token=eyJhbGciOi.secret", "/ws?access_token=REDACTED"),
            ("/ws?x=1&Access_Token=abc&y=2", "/ws?x=1&Access_Token=REDACTED&y=2"),
            ("/ws?access%5Ftoken=abc", "/ws?access%5Ftoken=REDACTED"),
            ("/api/v1/artifacts?q=token&limit=5", "/api/v1/artifacts?q=token&limit=5"),
            ("/api/v1/status", "/api/v1/status"),
            ("/ws?access_token", "/ws?access_token"),
        ])
    func redaction(target: String, logged: String) {
        #expect(HTTPExchange.loggable(target) == logged)
    }
}
