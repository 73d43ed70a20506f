import Testing

@testable import WFAParsing

struct KeyValueScannerTests {
    func pairs(_ text: String, delimiter: UInt8 = .space) -> [String] {
        KeyValueScanner.pairs(in: Array(text.utf8), delimiter: delimiter).map { "\($0.0)=\($0.1)" }
    }

    @Test("bare and quoted values, in order; words that are not pairs are skipped")
    func bareAndQuoted() {
        #expect(
            self.pairs(#"devname="fw 1" srcip=10.0.0.1 noise action=deny msg="""#)
                == ["devname=fw 1", "srcip=10.0.0.1", "action=deny", "msg="])
    }

    @Test("an escaped quote inside a quoted value is read as a quote")
    func escapedQuote() {
        #expect(self.pairs(#"msg="say \"hi\" now" user=x"#) == [#"msg=say "hi" now"#, "user=x"])
    }

    @Test("an unterminated quote runs to the end of the message")
    func unterminatedQuote() {
        #expect(self.pairs(#"a=1 msg="never closed"#) == ["a=1", "msg=never closed"])
    }

    @Test("another delimiter splits values that contain spaces, trimmed at their end")
    func otherDelimiter() {
        #expect(self.pairs("a=one two |b=3", delimiter: .pipe) == ["a=one two", "b=3"])
    }
}
