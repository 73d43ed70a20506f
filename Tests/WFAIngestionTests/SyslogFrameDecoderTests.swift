import Testing
import WFAIngestion

struct SyslogFrameDecoderTests {
    func texts(_ frames: [SyslogFrameDecoder.Frame]) -> [String] {
        frames.map { String(decoding: $0.bytes, as: UTF8.self) }
    }

    @Test("newline framing splits lines, drops CR and empty lines, and keeps a partial line for later")
    func newlineFraming() {
        var decoder = SyslogFrameDecoder()
        #expect(self.texts(decoder.feed(Array("<13>one\r\n\n<13>tw".utf8))) == ["<13>one"])
        #expect(decoder.framing == .newline)
        #expect(self.texts(decoder.feed(Array("o\n<13>three".utf8))) == ["<13>two"])
        #expect(self.texts(decoder.finish()) == ["<13>three"])
    }

    @Test("octet counting is detected and reassembles messages split anywhere, even inside the length")
    func octetCounting() {
        let stream = Array("11 <13>hello\nx11 <13>world 2".utf8)
        // Every split point of the stream gives the same messages.
        for split in 0...stream.count {
            var decoder = SyslogFrameDecoder()
            var frames = decoder.feed(stream[..<split])
            frames += decoder.feed(stream[split...])
            #expect(self.texts(frames) == ["<13>hello\nx", "<13>world 2"], "split at \(split)")
            #expect(decoder.framing == .octetCounting)
        }
    }

    @Test("a line longer than the limit is cut to it, marked truncated, and its rest skipped")
    func oversizeLine() {
        var decoder = SyslogFrameDecoder(maximumMessageBytes: 100)
        var frames = decoder.feed([UInt8](repeating: UInt8(ascii: "a"), count: 1_000))
        frames += decoder.feed(Array(String(repeating: "b", count: 1_000).utf8) + Array("\nnext\n".utf8))
        #expect(frames.count == 2)
        #expect(frames.first?.bytes.count == 100)
        #expect(frames.first?.truncated == true)
        #expect(self.texts(Array(frames.dropFirst())) == ["next"])
        #expect(frames.last?.truncated == false)
    }

    @Test("a long line that arrives whole with its line feed is cut all the same")
    func oversizeLineInOneRead() {
        var decoder = SyslogFrameDecoder(maximumMessageBytes: 100)
        let frames = decoder.feed(Array((String(repeating: "c", count: 300) + "\nshort\n").utf8))
        #expect(frames.map(\.bytes.count) == [100, 5])
        #expect(frames.map(\.truncated) == [true, false])
    }

    @Test("an octet-counted message longer than the limit is cut and the stream stays in step")
    func oversizeOctetCounted() {
        var decoder = SyslogFrameDecoder(maximumMessageBytes: 100)
        let big = "500 " + String(repeating: "z", count: 500)
        let frames = decoder.feed(Array((big + "5 after").utf8))
        #expect(frames.map(\.bytes.count) == [100, 5])
        #expect(frames.map(\.truncated) == [true, false])
        #expect(self.texts(Array(frames.dropFirst())) == ["after"])
    }

    @Test("a broken octet-counting header switches the connection to lines and is counted")
    func brokenHeader() {
        var decoder = SyslogFrameDecoder()
        let frames = decoder.feed(Array("5 first<13>not counted\nsecond\n".utf8))
        #expect(self.texts(frames) == ["first", "<13>not counted", "second"])
        #expect(decoder.framingErrors == 1)
        #expect(decoder.framing == .newline)
    }

    @Test("a message starting with digits but no length header is a line (PAN-OS CSV without PRI)")
    func digitsWithoutHeader() {
        var decoder = SyslogFrameDecoder()
        #expect(
            self.texts(decoder.feed(Array("1,2026/11/20 10:00:00,0072,TRAFFIC\n".utf8))) == [
                "1,2026/11/20 10:00:00,0072,TRAFFIC"
            ])
        #expect(decoder.framing == .newline)
    }
}
