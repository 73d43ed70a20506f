import Testing
import WFACore

@testable import WFAParsing

struct EntityExtractorTests {
    func entities(_ text: String) -> [String] { EntityExtractor().entities(in: text.utf8).map(\.description) }

    @Test("addresses alone, with ports, in brackets, IPv6 in canonical form")
    func addresses() {
        #expect(entities("from 10.1.2.3 port 22") == ["ip:10.1.2.3"])
        #expect(entities("peer 192.168.0.1:8080 and [2001:DB8:0:0::1]:443") == ["ip:192.168.0.1", "ip:2001:db8::1"])
        #expect(entities("version 1.2.3.4.5 and 300.1.1.1").isEmpty)
    }

    @Test("every IPv6 form is an address: a gap, all eight groups, or six and an IPv4 tail; times and MACs are not")
    func ipv6Forms() {
        #expect(entities("fe80::1 and ::1") == ["ip:fe80::1", "ip:::1"])
        #expect(entities("full 2001:db8:0:1:0:0:0:1") == ["ip:2001:db8:0:1::1"])
        #expect(entities("mapped ::ffff:10.0.0.1 and 0:0:0:0:0:ffff:10.0.0.2") == ["ip:10.0.0.1", "ip:10.0.0.2"])
        #expect(entities("tail 64:ff9b:0:0:0:0:192.0.2.33") == ["ip:64:ff9b::c000:221"])
        #expect(entities("at 08:26:10 from 00:1a:2b:3c:4d:5e via 1:2:3:4:5:6:7 and 1:2:3:4:5:6:7:8:9").isEmpty)
    }

    @Test("domains need a real top-level domain; file names and code are not domains")
    func domains() {
        #expect(entities("lookup of Mail.Example.COM failed") == ["domain:mail.example.com"])
        #expect(entities("workerEnv.init() ok /etc/httpd/conf/workers2.properties").isEmpty)
        #expect(entities("ran setup.py and install.sh").isEmpty)
    }

    @Test("URLs carry their host; e-mail addresses and hashes are recognized")
    func urlsEmailHashes() {
        #expect(
            entities("GET https://evil.example.net:8443/a?b=c") == [
                "url:https://evil.example.net:8443/a?b", "domain:evil.example.net",
            ])
        #expect(entities("from <Bob.Smith@Example.org>") == ["email:bob.smith@example.org"])
        #expect(entities("md5 D41D8CD98F00B204E9800998ECF8427E") == ["hash:d41d8cd98f00b204e9800998ecf8427e"])
        #expect(entities("number 12345678901234567890123456789012").isEmpty)
    }

    @Test("a hash is 32, 40 or 64 hex digits with a letter among them, any case, and is kept lower-cased")
    func hashes() {
        let sha256 = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855"
        #expect(EntityExtractor.hash(ArraySlice(sha256.utf8))?.value == sha256.lowercased())
        #expect(
            EntityExtractor.hash(ArraySlice("Da39A3EE5e6b4b0d3255bfef95601890afd80709".utf8))?.value
                == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        // One byte that is not hex, wherever it falls, and the token is no hash.
        for offset in [0, 17, 31] {
            var bytes = Array("d41d8cd98f00b204e9800998ecf8427e".utf8)
            for wrong in ["g", "G", "/", ":", "@", "`"] {
                bytes[offset] = UInt8(ascii: Unicode.Scalar(wrong) ?? "x")
                #expect(EntityExtractor.hash(ArraySlice(bytes)) == nil)
            }
        }
        #expect(EntityExtractor.hash(ArraySlice("d41d8cd98f00b204e9800998ecf8427".utf8)) == nil)
        #expect(EntityExtractor.hash(ArraySlice(String(repeating: "1", count: 40).utf8)) == nil)
    }
}
