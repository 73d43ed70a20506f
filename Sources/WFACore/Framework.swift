/// A compliance framework (NIST CSF, CIS Controls, PCI DSS, ...) and the controls reports map to.
public struct Framework: Sendable, Codable, Hashable, Identifiable {
    public typealias ID = Identifier<Framework>

    public struct Control: Sendable, Codable, Hashable, Identifiable {
        public var id: String
        public var title: String
        public var description: String

        public init(id: String, title: String, description: String = "") {
            self.id = id
            self.title = title
            self.description = description
        }
    }

    public var id: ID
    public var name: String
    public var version: String
    public var controls: [Control]

    public init(id: ID, name: String, version: String, controls: [Control] = []) {
        self.id = id
        self.name = name
        self.version = version
        self.controls = controls
    }
}
