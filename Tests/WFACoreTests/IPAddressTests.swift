import Testing
import WFACore

struct IPAddressTests {
    @Test(
        "IPv6 is written in RFC 5952 canonical form",
        arguments: [
            ("2001:DB8:0:0:0:0:0:1", "2001:db8::1"),
            ("2001:0db8:0000:0000:0001:0000:0000:0001", "2001:db8::1:0:0:1"),
            ("2001:db8:0:1:1:1:1:1", "2001:db8:0:1:1:1:1:1"),
            ("::", "::"),
            ("::1", "::1"),
            ("fe80::1%eth0", "fe80::1"),
            ("[2001:db8::a]", "2001:db8::a"),
            ("1:0:0:2:0:0:0:3", "1:0:0:2::3"),
            ("::ffff:192.0.2.1", "192.0.2.1"),
            ("64:ff9b::192.0.2.33", "64:ff9b::c000:221"),
        ])
    func ipv6IsCanonical(input: String, canonical: String) throws {
        let address = try #require(IPAddress(input))
        #expect(address.description == canonical)
    }

    @Test(
        "IPv4 parses dotted decimal and round-trips",
        arguments: ["10.0.0.1", "255.255.255.255", "0.0.0.0", "9.10.99.100", "192.168.200.1", "1.20.109.250"])
    func ipv4RoundTrips(text: String) throws {
        #expect(try #require(IPAddress(text)).description == text)
        #expect(IPAddress(utf8: Array(text.utf8)[...])?.description == text)
    }

    @Test(
        "text that is not an address is refused",
        arguments: [
            "", "1.2.3", "1.2.3.4.5", "256.1.1.1", "01.2.3.4", "1.2.3.4 ", "a.b.c.d", ":::", "1::2::3",
            "1:2:3:4:5:6:7:8:9",
            "12345::", "1:", ":1", "2001:db8::g", "1.2.3.4::", "::1.2.3", "host.example.com",
        ])
    func invalidAddressIsRefused(text: String) {
        #expect(IPAddress(text) == nil)
    }

    @Test("private ranges are recognized (RFC 1918, loopback, link-local, ULA)")
    func privateRanges() throws {
        for text in [
            "10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1", "127.0.0.1", "fd00::1", "fe80::1", "::1",
        ] {
            #expect(try #require(IPAddress(text)).isPrivate, "\(text)")
        }
        for text in ["172.32.0.1", "8.8.8.8", "2001:db8::1", "192.169.0.1"] {
            #expect(try !#require(IPAddress(text)).isPrivate, "\(text)")
        }
    }
}
