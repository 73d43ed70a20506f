public import Foundation
public import WFACore

extension SigmaRule {
    /// A stored Sigma rule for `yaml`, indexed by its primary document (the correlation when the
    /// file holds one, else the first rule); its id is that rule's own Sigma `id` when it has one,
    /// so uploading the same rule again replaces it.
    /// - Throws: ``SigmaError`` (with the line) when any document does not compile.
    public init(compiling yaml: String, org: Org.ID, fallbackID: String, enabled: Bool = true, at time: Date = Date())
        throws(SigmaError)
    {
        let definitions = try SigmaDefinition.parse(yaml: yaml)
        guard let primary = definitions.first(where: \.isCorrelation) ?? definitions.first else {
            throw SigmaError(message: "the text holds no Sigma rule", line: nil)
        }
        self.init(
            id: Identifier(primary.id ?? fallbackID), orgID: org, name: primary.title, yaml: yaml, level: primary.level,
            logsourceProduct: primary.logsource.product, logsourceCategory: primary.logsource.category,
            logsourceService: primary.logsource.service, tags: primary.tags, enabled: enabled, updatedAt: time)
    }
}
