import Foundation
import HomelabTestSupport
import Testing

@testable import HomelabCore

@Suite("Docker log streams")
struct DockerLogStreamTests {
    static func frame(_ type: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let size = UInt32(payload.count)
        return [type, 0, 0, 0, UInt8(size >> 24), UInt8((size >> 16) & 0xff), UInt8((size >> 8) & 0xff), UInt8(size & 0xff)]
            + payload
    }

    static let sample = frame(1, "hello\n") + frame(2, "oops\n") + frame(1, "two\nlines\n") + frame(2, "")

    @Test("frames are demultiplexed whatever the chunk boundaries", arguments: [1, 2, 3, 7, 8, 9, 1000])
    func demultiplex(chunkSize: Int) throws {
        var demultiplexer = Swarm.StreamDemultiplexer()
        var frames: [Swarm.StreamDemultiplexer.Frame] = []
        var index = 0
        while index < Self.sample.count {
            let end = min(index + chunkSize, Self.sample.count)
            frames += try demultiplexer.feed(Array(Self.sample[index..<end]))
            index = end
        }
        #expect(demultiplexer.pendingByteCount == 0)
        #expect(frames.map(\.stream) == [.stdout, .stderr, .stdout, .stderr])
        #expect(frames.map { String(decoding: $0.payload, as: UTF8.self) } == ["hello\n", "oops\n", "two\nlines\n", ""])
    }

    @Test("an error frame (type 3) ends the stream with the engine's text; an unknown type is a decoding error")
    func badFrames() {
        var demultiplexer = Swarm.StreamDemultiplexer()
        let error = #expect(throws: HomelabError.self) { _ = try demultiplexer.feed(Self.frame(3, "log driver failed")) }
        #expect(error?.serverMessage == "log driver failed")
        var other = Swarm.StreamDemultiplexer()
        let unknown = #expect(throws: HomelabError.self) { _ = try other.feed(Array("plain text, not framed".utf8)) }
        #expect(unknown?.code == .decodingFailed)
    }

    @Test("lines split per stream; timestamps and details are taken off the front")
    func lineSplitting() {
        var splitter = Swarm.LogLineSplitter(timestamps: true, details: true)
        let first = splitter.entries(
            .stdout,
            Array("2026-11-26T16:07:48.063325944Z com.docker.swarm.node.id=n1,com.docker.swarm.task.id=t1 hello wor".utf8))
        #expect(first.isEmpty)
        let second = splitter.entries(.stdout, Array("ld\n".utf8))
        #expect(second.count == 1)
        #expect(second.first?.text == "hello world")
        #expect(second.first?.timestamp == "2026-11-26T16:07:48.063325944Z")
        #expect(second.first?.taskID == "t1")
        #expect(second.first?.attributes["com.docker.swarm.node.id"] == "n1")
        var plain = Swarm.LogLineSplitter(timestamps: false, details: false)
        #expect(plain.entries(.stderr, Array("a b\r\nc".utf8)).map(\.text) == ["a b"])
        #expect(plain.flush().map(\.text) == ["c"])
    }

    @Test("service logs through the client: multiplexed by default, raw for a TTY")
    func throughClient() async throws {
        let engine = CannedDockerEngine { _ in HTTPResponse(status: 200, body: Self.sample) }
        var entries: [Swarm.LogEntry] = []
        for try await entry in try await engine.client().services.logs("web", options: Swarm.LogOptions(tail: 10)) {
            entries.append(entry)
        }
        #expect(entries.map(\.text) == ["hello", "oops", "two", "lines"])
        #expect(entries.map(\.stream) == [.stdout, .stderr, .stdout, .stdout])
        let query = CannedDockerEngine.query(try #require(engine.requests(.get, "/services/web/logs").first))
        #expect(query["tail"] == "10" && query["stdout"] == "true" && query["stderr"] == "true" && query["follow"] == "false")

        engine.answer { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/vnd.docker.raw-stream"], body: Array("tty line\n".utf8))
        }
        var raw: [Swarm.LogEntry] = []
        for try await entry in try await engine.client().tasks.logs("t1") { raw.append(entry) }
        #expect(raw == [Swarm.LogEntry(stream: .stdout, message: Array("tty line".utf8))])
    }

    @Test("before API 1.42 a multiplexed log is labelled raw-stream: the frames are still read, and short TTY output stays raw")
    func rawLabelledMultiplexed() async throws {
        let engine = CannedDockerEngine { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/vnd.docker.raw-stream"], body: Self.sample)
        }
        var entries: [Swarm.LogEntry] = []
        for try await entry in try await engine.client().services.logs("web") { entries.append(entry) }
        #expect(entries.map(\.text) == ["hello", "oops", "two", "lines"])
        #expect(entries.map(\.stream) == [.stdout, .stderr, .stdout, .stdout])

        engine.answer { _ in
            HTTPResponse(status: 200, headers: ["Content-Type": "application/vnd.docker.raw-stream"], body: Array("ok".utf8))
        }
        var short: [Swarm.LogEntry] = []
        for try await entry in try await engine.client().tasks.logs("t1") { short.append(entry) }
        #expect(short == [Swarm.LogEntry(stream: .stdout, message: Array("ok".utf8))])
        #expect(Swarm.LogFraming.sniff([1, 0, 0, 0]) == .multiplexed)
        #expect(Swarm.LogFraming.sniff(Array("\u{1B}[0m".utf8)) == .raw)
        #expect(Swarm.LogFraming.sniff([2, 0, 0]) == nil)
    }

    @Test("a log request for neither stream is refused")
    func neitherStream() async throws {
        let engine = CannedDockerEngine()
        await #expect(throws: HomelabError.self) {
            _ = try await engine.client().services.logs("web", options: Swarm.LogOptions(stdout: false, stderr: false))
        }
    }
}
