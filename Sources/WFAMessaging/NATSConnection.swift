import CNats
import Foundation

/// One connection to nats-server, reconnecting on its own (forever, every `reconnectWait`) and
/// connecting in the background when the server is not up yet.
///
/// cnats is thread-safe for a connection; its calls block, so callers run them off Swift's
/// cooperative pool (see ``JetStreamBus``).
final class NATSConnection: @unchecked Sendable {
    let pointer: OpaquePointer

    init(url: String, name: String, reconnectWait: Duration) throws {
        var options: OpaquePointer?
        try NATSStatus.check(natsOptions_Create(&options), "creating connection options")
        guard let options else { throw BusError("cnats returned no options") }
        defer { natsOptions_Destroy(options) }
        try NATSStatus.check(natsOptions_SetURL(options, url), "setting the NATS URL")
        try NATSStatus.check(natsOptions_SetName(options, name), "naming the connection")
        try NATSStatus.check(natsOptions_SetMaxReconnect(options, -1), "setting reconnects")
        try NATSStatus.check(
            natsOptions_SetReconnectWait(options, Int64(reconnectWait.milliseconds)), "setting the reconnect wait")
        try NATSStatus.check(natsOptions_SetRetryOnFailedConnect(options, true, nil, nil), "setting connect retries")
        var connection: OpaquePointer?
        let status = natsConnection_Connect(&connection, options)
        // With retry-on-failed-connect, NATS_NOT_YET_CONNECTED means "connecting in the background".
        guard status == NATS_OK || status == NATS_NOT_YET_CONNECTED, let connection else {
            throw BusError("cannot connect to NATS at \(url): \(NATSStatus.text(status))")
        }
        self.pointer = connection
    }

    deinit {
        natsConnection_Destroy(self.pointer)
    }

    var isConnected: Bool { natsConnection_Status(self.pointer) == NATS_CONN_STATUS_CONNECTED }

    /// A JetStream context with `wait` as its request timeout.
    func jetStream(wait: Duration, configure: (inout jsOptions) -> Void = { _ in }) throws -> JetStreamContext {
        var options = jsOptions()
        jsOptions_Init(&options)
        options.Wait = Int64(wait.milliseconds)
        configure(&options)
        var context: OpaquePointer?
        try NATSStatus.check(natsConnection_JetStream(&context, self.pointer, &options), "opening JetStream")
        guard let context else { throw BusError("cnats returned no JetStream context") }
        return JetStreamContext(pointer: context)
    }
}

/// Owns a `jsCtx`.
final class JetStreamContext: @unchecked Sendable {
    let pointer: OpaquePointer

    init(pointer: OpaquePointer) {
        self.pointer = pointer
    }

    deinit {
        jsCtx_Destroy(self.pointer)
    }
}

enum NATSStatus {
    static func check(_ status: natsStatus, _ doing: String, _ code: jsErrCode = jsErrCode(0)) throws {
        guard status == NATS_OK else {
            throw BusError(
                "NATS error \(doing): \(Self.text(status))\(code.rawValue != 0 ? " (JetStream \(code.rawValue))" : "")")
        }
    }

    static func text(_ status: natsStatus) -> String {
        natsStatus_GetText(status).map { String(cString: $0) } ?? "status \(status.rawValue)"
    }
}

extension Duration {
    var milliseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000 + attoseconds / 1_000_000_000_000_000
    }

    var nanoseconds: Int64 {
        let (seconds, attoseconds) = self.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
