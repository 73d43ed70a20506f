/// Where an incident stands, in the reference numbering.
public enum IncidentStatus: Int, Sendable, Codable, Hashable, CaseIterable {
    case new = 1
    case investigating = 2
    /// Closed as a true positive.
    case resolved = 3
    /// Closed as a false positive.
    case closed = 4
    /// Closed as a true positive whose attack was stopped.
    case disrupted = 5

    /// True for the three terminal states.
    public var isTerminal: Bool { self == .resolved || self == .closed || self == .disrupted }

    /// Whether an analyst may move an incident from `self` to `next`.
    ///
    /// New and Investigating may go anywhere; a closed incident may only be reopened
    /// (to Investigating), so an audit trail never shows a closed case silently re-labelled.
    public func canTransition(to next: IncidentStatus) -> Bool {
        guard next != self else { return false }
        return self.isTerminal ? next == .investigating : true
    }
}
