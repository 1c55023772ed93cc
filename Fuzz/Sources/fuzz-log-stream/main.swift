import FuzzInput
import HomelabCore

/// Docker's multiplexed log stream: the demultiplexer fed in chunks (sizes taken from the input's first byte), then
/// the line splitter with timestamps and details as the first byte's bits say.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzLogStream(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let (choice, rest) = FuzzInput(start, count).selector(among: 256)
    let chunkSize = 1 + (choice >> 2)
    var demultiplexer = Swarm.StreamDemultiplexer()
    var splitter = Swarm.LogLineSplitter(timestamps: choice & 1 != 0, details: choice & 2 != 0)
    var offset = 0
    do {
        while offset < rest.count {
            let end = min(rest.count, offset + chunkSize)
            for frame in try demultiplexer.feed(Array(rest[offset..<end])) {
                for entry in splitter.entries(frame.stream, frame.payload) { _ = entry.taskID }
            }
            offset = end
        }
    } catch {
        _ = "\(error)"
    }
    _ = demultiplexer.pendingByteCount
    // Raw TTY output goes straight to the splitter.
    var raw = Swarm.LogLineSplitter(timestamps: choice & 1 != 0, details: choice & 2 != 0)
    _ = raw.entries(.stdout, rest)
    _ = raw.flush()
    _ = splitter.flush()
    return 0
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzLogStream(_:_:).
@_cdecl("fuzz_log_stream_main")
public func fuzzLogStreamMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzLogStream)
}
