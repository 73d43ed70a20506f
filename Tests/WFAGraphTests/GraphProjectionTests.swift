import Foundation
import Testing
import WFACore
import WFAGraph
import WFAParsing
import WFAStorage

/// How artifacts become nodes and edges.
@Suite struct GraphProjectionTests {
    static func artifact(_ line: String, org: Org.ID = "acme") -> Artifact {
        var context = ParsingContext(orgID: org, source: "test")
        return LogParser().parse(Array(line.utf8), context: &context).artifact
    }

    static func edges(_ delta: GraphDelta) -> Set<String> {
        Set(delta.edges.map { "\($0.sourceID) \($0.type) \($0.targetID)" })
    }

    @Test("an sshd login: the user authenticated on the host, the client is related to the user")
    func sshLogin() {
        let artifact = Self.artifact(
            "Nov 20 10:00:00 web01 sshd[42]: Accepted password for Alice from 203.0.113.9 port 5555 ssh2")
        let delta = GraphProjection().delta(for: artifact)
        #expect(delta.id == artifact.id.rawValue)
        #expect(delta.orgID == "acme")
        #expect(
            Self.edges(delta) == [
                "ip:203.0.113.9 communicates_with host:web01",
                "user:alice authenticated_as host:web01",
                "ip:203.0.113.9 related_to user:alice",
            ])
        #expect(Set(delta.nodes.map(\.id.rawValue)) == ["ip:203.0.113.9", "host:web01", "user:alice"])
        #expect(delta.nodes.allSatisfy { $0.seenAt == artifact.timestamp })
    }

    @Test("a Zeek DNS record: the query resolved to each answer, names and addresses")
    func dnsAnswers() {
        let artifact = Self.artifact(
            #"{"_path":"dns","ts":"2018-03-24T17:15:20.865716Z","uid":"C1","id.orig_h":"10.47.1.100","id.orig_p":41772,"id.resp_h":"10.0.0.100","id.resp_p":53,"proto":"udp","query":"ise.wrccdc.org","qtype_name":"A","answers":["ise.wrccdc.cpp.edu","134.71.3.16"]}"#
        )
        let delta = GraphProjection().delta(for: artifact)
        let edges = Self.edges(delta)
        #expect(edges.contains("domain:ise.wrccdc.org resolved_to domain:ise.wrccdc.cpp.edu"))
        #expect(edges.contains("domain:ise.wrccdc.org resolved_to ip:134.71.3.16"))
        #expect(edges.contains("ip:10.47.1.100 communicates_with ip:10.0.0.100"))
        #expect(!edges.contains { $0.contains("accessed") })
    }

    @Test("a flow carries its bytes on the communicates_with edge, and private addresses are internal")
    func flowBytesAndFlags() throws {
        let artifact = Self.artifact(
            #"{"_path":"conn","ts":"2018-03-24T17:15:20.865716Z","uid":"C2","id.orig_h":"10.1.1.5","id.orig_p":50000,"id.resp_h":"93.184.216.34","id.resp_p":443,"proto":"tcp","orig_bytes":1200,"resp_bytes":34000}"#
        )
        let policy = NetworkPolicy(managedNetworks: [try #require(IPNetwork("10.1.1.0/24"))])
        let delta = GraphProjection(policy: policy).delta(for: artifact)
        let edge = try #require(delta.edges.first { $0.type == .communicatesWith })
        #expect(edge.bytes == 35_200)
        let client = try #require(delta.nodes.first { $0.value == "10.1.1.5" })
        let server = try #require(delta.nodes.first { $0.value == "93.184.216.34" })
        #expect(client.initialFlags == NodeFlags(managed: true, internal: true))
        #expect(server.initialFlags == NodeFlags())
    }

    @Test("the same artifact always projects to the same delta")
    func deterministic() {
        let artifact = Self.artifact(
            "Nov 20 10:00:00 web01 sshd[42]: Failed password for root from 198.51.100.7 port 4000 ssh2")
        #expect(GraphProjection().delta(for: artifact) == GraphProjection().delta(for: artifact))
    }

    @Test("an artifact naming nothing adds nothing")
    func emptyArtifact() {
        let delta = GraphProjection().delta(for: Self.artifact("\u{01}\u{02} binary noise"))
        #expect(delta.nodes.isEmpty)
        #expect(delta.edges.isEmpty)
    }
}

@Suite struct NetworkPolicyTests {
    @Test("RFC 1918 and unique-local addresses are internal by default; public ones are not")
    func defaultInternal() {
        let policy = NetworkPolicy()
        for address in ["10.2.3.4", "172.16.0.1", "172.31.255.255", "192.168.1.1", "fd12::1"] {
            #expect(policy.flags(for: EntityKey(type: .ip, value: address)).internal, "\(address)")
        }
        for address in ["172.32.0.1", "8.8.8.8", "2001:db8::1", "not-an-ip"] {
            #expect(!policy.flags(for: EntityKey(type: .ip, value: address)).internal, "\(address)")
        }
    }

    @Test("an asset list names networks, addresses and hosts; a bad line is reported with its number")
    func assetList() throws {
        let assets = try NetworkPolicy.assets(
            fromList: "# servers\n10.9.0.0/16\n203.0.113.5\n\nDC01.corp.example  # dc\n")
        #expect(assets.networks.map(\.description) == ["10.9.0.0/16", "203.0.113.5/32"])
        #expect(assets.names == ["dc01.corp.example"])
        let policy = NetworkPolicy(managedNetworks: assets.networks, managedNames: assets.names)
        #expect(policy.flags(for: EntityKey(type: .ip, value: "203.0.113.5")).managed)
        #expect(!policy.flags(for: EntityKey(type: .ip, value: "203.0.113.6")).managed)
        #expect(policy.flags(for: EntityKey(type: .host, value: "dc01.corp.example")).managed)
        #expect(throws: AssetListError.self) { try NetworkPolicy.assets(fromList: "10.0.0.0/8\n10.0.0.0/99\n") }
        do {
            _ = try NetworkPolicy.assets(fromList: "ok.example\n300.1.1.1/8 x\n")
        } catch let error as AssetListError {
            #expect(error.line == 2)
        }
    }

    @Test("CIDR blocks contain exactly their addresses")
    func cidr() throws {
        let network = try #require(IPNetwork("192.168.4.0/22"))
        #expect(network.contains(try #require(IPAddress("192.168.7.255"))))
        #expect(!network.contains(try #require(IPAddress("192.168.8.0"))))
        #expect(!network.contains(try #require(IPAddress("::1"))))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork("0.0.0.0/0")?.contains(try #require(IPAddress("1.2.3.4"))) == true)
        #expect(IPNetwork("fe80::/10")?.contains(try #require(IPAddress("fe80::1"))) == true)
    }
}
