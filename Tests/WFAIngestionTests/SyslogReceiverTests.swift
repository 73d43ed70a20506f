import Foundation
import MetricsTestKit
import NIOCore
import NIOPosix
import Testing
import WFACore
import WFAIngestion
import WFAParsing

/// The syslog receivers, fed by util-linux `logger` (the sender a Linux host has), in both RFCs,
/// over UDP, TCP with either framing, and TLS.
@Suite(.serialized)
struct SyslogReceiverTests {
    enum Transport: String, CaseIterable, Sendable {
        case udp, tcp, tcpOctetCounting, tls, tlsOctetCounting
    }

    static let cases: [(Transport, String)] = Transport.allCases.flatMap { transport in
        ["--rfc3164", "--rfc5424"].map { (transport, $0) }
    }

    @Test("every message logger sends arrives as an artifact", arguments: Self.cases)
    func loggerDelivers(transport: Transport, rfc: String) async throws {
        let count = 40
        let marker = UUID().uuidString.prefix(8)
        let lines = (0..<count).map {
            "Failed password for invalid user u\($0) from 203.0.113.\($0 % 250) port \(40000 + $0) ssh2 \(marker)"
        }
        let path = try ReceiverHarness.file(of: lines)
        defer { try? FileManager.default.removeItem(atPath: path) }
        let sink = CollectingSink()
        let sender = ["-t", "sshd", rfc, "-f", path]
        switch transport {
        case .udp:
            try await ReceiverHarness.withUDPReceiver(sink: sink) { receiver in
                try await ReceiverHarness.run(
                    "/usr/bin/logger", ["-n", "127.0.0.1", "-P", "\(receiver.localPort)", "-d"] + sender)
                _ = try await sink.waitFor(count)
            }
        case .tcp, .tcpOctetCounting:
            try await ReceiverHarness.withTCPReceiver(sink: sink) { receiver in
                let framing = transport == .tcpOctetCounting ? ["--octet-count"] : []
                try await ReceiverHarness.run(
                    "/usr/bin/logger", ["-n", "127.0.0.1", "-P", "\(receiver.localPort)", "-T"] + framing + sender)
                _ = try await sink.waitFor(count)
            }
        case .tls, .tlsOctetCounting:
            // logger has no TLS of its own: it writes to a local socat that carries the stream over
            // TLS (OpenSSL) to the receiver, as stunnel would in front of a legacy sender.
            try await ReceiverHarness.withTCPReceiver(tls: try ReceiverHarness.serverTLS(), sink: sink) { receiver in
                let (tunnel, tunnelPort, tunnelLog) = try await Self.startTunnel(to: receiver.localPort)
                defer {
                    tunnel.terminate()
                    try? FileManager.default.removeItem(at: tunnelLog)
                }
                let framing = transport == .tlsOctetCounting ? ["--octet-count"] : []
                // socat listens already; a refused first connection is retried.
                var attempts = 0
                while true {
                    guard tunnel.isRunning else {
                        let log = (try? String(contentsOf: tunnelLog, encoding: .utf8)) ?? ""
                        throw ProcessFailure(description: "socat exited before logger connected: \(log)")
                    }
                    do {
                        try await ReceiverHarness.run(
                            "/usr/bin/logger", ["-n", "127.0.0.1", "-P", "\(tunnelPort)", "-T"] + framing + sender)
                        break
                    } catch  where attempts < 50 {
                        attempts += 1
                        try await Task.sleep(for: .milliseconds(50))
                    }
                }
                let arrived = try await sink.waitFor(count)
                if arrived.count < count {
                    let log = (try? String(contentsOf: tunnelLog, encoding: .utf8)) ?? ""
                    Issue.record("\(arrived.count) of \(count) arrived through socat; its log:\n\(log)")
                }
            }
        }
        let artifacts = await sink.artifacts.filter { String(decoding: $0.raw, as: UTF8.self).contains(marker) }
        #expect(artifacts.count == count)
        let expectedFormat: LogFormat = .linuxAuth
        for (index, artifact) in artifacts.sorted(by: { ($0.clientPort ?? 0) < ($1.clientPort ?? 0) }).enumerated() {
            #expect(artifact.tags.contains("format:\(expectedFormat.rawValue)"))
            #expect(artifact.messageType == .authFailure)
            #expect(artifact.userName == "u\(index)")
            #expect(artifact.clientPort == 40000 + index)
            #expect(artifact.program == "sshd")
            let prefix =
                transport == .udp ? "syslog-udp:" : transport.rawValue.hasPrefix("tls") ? "syslog-tls:" : "syslog-tcp:"
            #expect(artifact.source == "\(prefix)127.0.0.1")
        }
    }

    @Test("bad input over TCP is kept or cut and counted, and the receiver keeps serving")
    func badInput() async throws {
        let sink = CollectingSink()
        let metrics = TestMetrics()
        try await ReceiverHarness.withTCPReceiver(sink: sink, metrics: IngestMetrics(factory: metrics)) { receiver in
            var generator = SystemRandomNumberGenerator()
            var noise = (0..<4_096).map { _ in UInt8.random(in: 0...255, using: &generator) }
            noise.removeAll { $0 == UInt8(ascii: "\n") }
            let huge = [UInt8](repeating: UInt8(ascii: "A"), count: 10 * 1024 * 1024)
            let deepJSON = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
            var stream = noise + [UInt8(ascii: "\n")]
            stream += huge + [UInt8(ascii: "\n")]
            stream += Array("<134>CEF:0|Vendor|Prod|1.0|100|Trunc\n".utf8)
            stream += Array("{\"a\":\(deepJSON)}\n".utf8)
            stream += Array("<13>Nov 20 10:00:00 host app: after the bad input\n".utf8)
            try await ReceiverHarness.send(stream, port: receiver.localPort)
            try await ReceiverHarness.send(
                Array("<13>Nov 20 10:00:00 host app: another client\n".utf8), port: receiver.localPort)
            _ = try await sink.waitFor(6)
        }
        let raws = await sink.raws()
        #expect(raws.count == 6)
        #expect(raws.contains { $0.hasSuffix("after the bad input") })
        #expect(raws.contains { $0.hasSuffix("another client") })
        let artifacts = await sink.artifacts
        let cut = artifacts.filter { $0.tags.contains("truncated") }
        #expect(cut.count == 1)
        #expect(cut.first?.raw.count == 64 * 1024)
        #expect(try metrics.expectCounter("wfa_ingest_truncated_total", [("receiver", "syslog-tcp")]).totalValue == 1)
        #expect(try metrics.expectCounter("wfa_ingest_messages_total", [("receiver", "syslog-tcp")]).totalValue == 6)
        #expect(
            try metrics.expectCounter("wfa_ingest_unknown_total", [("source", "syslog-tcp:127.0.0.1")]).totalValue >= 2)
    }

    @Test("while the sink is stalled, TCP stops reading instead of buffering: the sender is held back")
    func tcpBackpressure() async throws {
        let sink = GatedSink()
        let lineCount = 2_000
        let line = Array(("<13>Nov 20 10:00:00 host app: " + String(repeating: "x", count: 16_000) + "\n").utf8)
        let finished = Flag()
        // Messages are cut to 1 KiB so the test measures reading, not parsing 32 MB.
        try await ReceiverHarness.withTCPReceiver(maximumMessageBytes: 1_024, sink: sink) { receiver in
            let sent = Task {
                var stream: [UInt8] = []
                stream.reserveCapacity(line.count * lineCount)
                for _ in 0..<lineCount { stream += line }
                try await ReceiverHarness.send(stream, port: receiver.localPort)
                finished.set()
            }
            while await sink.waiting == 0 { try await Task.sleep(for: .milliseconds(20)) }
            try await Task.sleep(for: .milliseconds(500))
            // 32 MB do not fit in the socket buffers plus the receiver's bounded read-ahead, so
            // the sender is still writing while nothing moves downstream.
            #expect(!finished.isSet)
            #expect(await sink.accepted == 0)
            await sink.openGate()
            try await sent.value
            let deadline = ContinuousClock.now + .seconds(30)
            while await sink.accepted < lineCount, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await sink.accepted == lineCount)
        }
    }

    @Test("lines that arrive while a batch is being stored are stored together, as the next batch")
    func tcpBatchesGatherWhileStoring() async throws {
        let sink = GatedSink()
        try await ReceiverHarness.withTCPReceiver(sink: sink) { receiver in
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connect(host: "127.0.0.1", port: receiver.localPort).get()
            try await channel.writeAndFlush(ByteBuffer(string: "<13>Nov 20 10:00:00 host app: first\n"))
            while await sink.waiting == 0 { try await Task.sleep(for: .milliseconds(10)) }
            // Each line its own write, so each may be its own read.
            for index in 0..<300 {
                try await channel.writeAndFlush(ByteBuffer(string: "<13>Nov 20 10:00:00 host app: line \(index)\n"))
            }
            try await Task.sleep(for: .seconds(1))
            await sink.openGate()
            try await channel.close()
            let deadline = ContinuousClock.now + .seconds(30)
            while await sink.accepted < 301, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(await sink.batches == [1, 300])
        }
    }

    @Test("UDP datagrams beyond the queue are dropped and counted, never buffered without bound")
    func udpDropsAreCounted() async throws {
        let sink = GatedSink()
        let metrics = TestMetrics()
        try await ReceiverHarness.withUDPReceiver(
            queueCapacity: 10, sink: sink, metrics: IngestMetrics(factory: metrics)
        ) {
            receiver in
            let channel = try await DatagramBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .bind(host: "127.0.0.1", port: 0).get()
            let target = try SocketAddress(ipAddress: "127.0.0.1", port: receiver.localPort)
            for index in 0..<200 {
                let payload = ByteBuffer(string: "<13>Nov 20 10:00:00 host app: datagram \(index)")
                try await channel.writeAndFlush(AddressedEnvelope(remoteAddress: target, data: payload))
            }
            try await channel.close()
            let counter = try metrics.expectCounter("wfa_ingest_dropped_total", [("receiver", "syslog-udp")])
            let deadline = ContinuousClock.now + .seconds(10)
            while counter.totalValue + Int64(await sink.waiting) == 0, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            try await Task.sleep(for: .milliseconds(300))
            await sink.openGate()
            try await Task.sleep(for: .milliseconds(300))
            let dropped = counter.totalValue
            let delivered = await sink.accepted
            #expect(dropped > 0)
            // One batch was with the sink, at most `capacity` waited in the queue: the rest was dropped.
            #expect(Int64(delivered) + dropped == 200)
            #expect(delivered <= 11 + 1)
        }
    }

    /// Starts socat listening on a free local port and carrying what it gets over TLS to `port`.
    /// Another test may take the probed port before socat binds it; then socat exits and this
    /// tries a new port, so logger never writes into someone else's listener.
    static func startTunnel(to port: Int) async throws -> (Process, Int, URL) {
        for _ in 0..<10 {
            let tunnelPort = try await ReceiverHarness.freePort()
            let log = FileManager.default.temporaryDirectory.appendingPathComponent(
                "wfa-socat-\(UUID().uuidString).log")
            let tunnel = Process()
            tunnel.executableURL = URL(fileURLWithPath: "/usr/bin/socat")
            tunnel.arguments = [
                "-d", "-d", "-lf", log.path, "TCP-LISTEN:\(tunnelPort),bind=127.0.0.1,reuseaddr",
                "OPENSSL:127.0.0.1:\(port),verify=0",
            ]
            try tunnel.run()
            for _ in 0..<100 {
                let text = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
                if text.contains("listening on") { return (tunnel, tunnelPort, log) }
                if !tunnel.isRunning { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            tunnel.terminate()
            try? FileManager.default.removeItem(at: log)
        }
        throw ProcessFailure(description: "socat could not listen on a free port")
    }
}
