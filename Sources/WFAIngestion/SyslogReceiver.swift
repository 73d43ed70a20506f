public import ServiceLifecycle

/// What the syslog receivers (UDP, TCP, TLS) have in common for whoever runs them.
public protocol SyslogReceiver: Service {
    /// The port bound (useful when configured with port 0).
    var localPort: Int { get }
    /// Stops receiving; what was already read is still handed on before ``run()`` returns.
    func shutDown()
}

extension SyslogTCPReceiver: SyslogReceiver {}
extension SyslogUDPReceiver: SyslogReceiver {}
