import Testing

@testable import WFAParsing

struct PANOSParserTests {
    @Test("every position a table maps lies before the fields the parser stops splitting at")
    func tablesReadOnlySplitFields() {
        let positions = [
            Array(PANOSParser.sessionFields.keys), Array(PANOSParser.sessionExtras.keys),
            Array(PANOSParser.trafficFields.keys), Array(PANOSParser.trafficExtras.keys),
            Array(PANOSParser.threatFields.keys), Array(PANOSParser.threatExtras.keys),
        ].joined()
        #expect(positions.allSatisfy { $0 < PANOSParser.fieldsRead })
    }
}
