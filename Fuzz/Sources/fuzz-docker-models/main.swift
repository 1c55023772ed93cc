import Foundation
import FuzzInput
import HomelabCore

/// Docker Engine models as the Swarm client decodes them: the first byte picks service, task, node or event (one
/// object or a list); the rest is the JSON. A decoded value is encoded again, as the client does when it writes a
/// spec back. Differential: the SwarmClient's own decoder (``TapeJSONDecoder``, a parser and hand-written readers of
/// ours) must agree with Foundation's `JSONDecoder` on every input: both fail, or both give equal values; any
/// disagreement stops the run as a crash, with the input kept (except where the tape is stricter on purpose, below).
/// Services are also read as summaries, which must equal the summary of the full model wherever that decodes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzDockerModels(_ start: UnsafeRawPointer?, _ count: Int) -> CInt {
    let (choice, rest) = FuzzInput(start, count).selector(among: 8)
    let data = Data(rest)
    switch choice {
    case 0:
        roundTrip(Swarm.Service.self, data)
        roundTrip(Swarm.ServiceSummary.self, data)
        summarises(Swarm.Service.self, Swarm.ServiceSummary.self, data) { Swarm.ServiceSummary($0) }
    case 1: roundTrip(Swarm.Task.self, data)
    case 2: roundTrip(Swarm.Node.self, data)
    case 3: roundTrip(Swarm.SystemEvent.self, data)
    case 4:
        roundTrip([Swarm.Service].self, data)
        roundTrip([Swarm.ServiceSummary].self, data)
        summarises([Swarm.Service].self, [Swarm.ServiceSummary].self, data) { $0.map(Swarm.ServiceSummary.init) }
    case 5: roundTrip([Swarm.Task].self, data)
    case 6: roundTrip([Swarm.Node].self, data)
    default: roundTrip(Swarm.ServiceSpec.self, data)
    }
    return 0
}

private func roundTrip<Value: Codable & Equatable>(_ type: Value.Type, _ data: Data) {
    if hasLongNumber(data) {
        // Foundation stops the process on some of these (below): the tape alone must not crash.
        _ = try? TapeJSONDecoder().decode(type, from: data)
        return
    }
    let foundation = try? JSONDecoder().decode(type, from: data)
    let tape = Result { try TapeJSONDecoder().decode(type, from: data) }
    switch (foundation, tape) {
    case (nil, .failure): return
    case (let expected?, .success(let value)):
        if value != expected { fatalError("the tape decoder and JSONDecoder decode \(Value.self) to different values") }
        _ = try? JSONEncoder().encode(value)
    case (nil, .success): fatalError("the tape decoder accepts as \(Value.self) what JSONDecoder refuses")
    case (_?, .failure(let error)):
        if intendedDifference(error, data) || notUTF8(error, data) { return }
        fatalError("the tape decoder refuses as \(Value.self) what JSONDecoder accepts")
    }
}

/// A summary reads a subset of the full model's fields at the same places: wherever the full model decodes, the
/// summary decodes too (on the tape) and equals the full model's summary, and it survives its own encoding.
private func summarises<Full: Decodable, Summary: Codable & Equatable>(
    _ full: Full.Type, _ summary: Summary.Type, _ data: Data, _ summarise: (Full) -> Summary
) {
    if hasLongNumber(data) { return }
    guard let whole = try? TapeJSONDecoder().decode(Full.self, from: data) else { return }
    guard let read = try? TapeJSONDecoder().decode(Summary.self, from: data) else {
        fatalError("the tape decoder reads \(Full.self) but not its summary")
    }
    if read != summarise(whole) { fatalError("the summary read from the answer differs from the summary of \(Full.self)") }
    guard let encoded = try? JSONEncoder().encode(read), let again = try? TapeJSONDecoder().decode(Summary.self, from: encoded),
        again == read
    else { fatalError("a summary does not survive its own encoding") }
}

/// Where the tape decoder is stricter than JSONDecoder on purpose: text RFC 8259 says is not JSON, which JSONDecoder
/// lets through (an unescaped control character, a trailing comma, a leading zero). The tape must have refused it as
/// a syntax error, and Foundation's strict parser (`JSONSerialization`) must refuse it too, so a tape parser that
/// wrongly refused valid JSON is still a finding. JSONSerialization accepts a trailing comma as well, so for that one
/// the input itself is checked: the byte the tape names is a `}` or `]` whose previous non-blank byte is a comma.
private func intendedDifference(_ error: any Error, _ data: Data) -> Bool {
    guard case DecodingError.dataCorrupted(let context) = error, context.codingPath.isEmpty,
        context.debugDescription.hasPrefix("invalid JSON at")
    else { return false }
    if let offset = syntaxErrorOffset(context.debugDescription), trailingComma(before: offset, in: Array(data)) { return true }
    return (try? JSONSerialization.jsonObject(with: data, options: .fragmentsAllowed)) == nil
}

/// Where JSONDecoder transcodes UTF-16 or UTF-32 text and the tape, reading UTF-8 only as RFC 8259 requires between
/// systems, refuses it by name: the input must really look like one of them (a byte order mark, or a zero among its
/// first four bytes), so a tape that called UTF-8 text something else would still be a finding.
private func notUTF8(_ error: any Error, _ data: Data) -> Bool {
    guard case DecodingError.dataCorrupted(let context) = error, context.debugDescription.contains("is not UTF-8 (it looks like UTF-"),
        data.count >= 4
    else { return false }
    let head = Array(data.prefix(4))
    return head.contains(0) || head.starts(with: [0xFE, 0xFF]) || head.starts(with: [0xFF, 0xFE])
}

/// Whether the input holds a run of more than 100 number characters. JSONDecoder reads a whole number from 2^53 up
/// that has a fraction or exponent as a `Decimal`, and where that decimal's exponent would leave -128...127 (more
/// than about 110 digits, as in `9007199254740993` followed by 150 zeros and `e-150`), its `validateNumber` hits a
/// precondition and stops the process (swift-foundation in Swift 6.2): there is nothing to compare against.
private func hasLongNumber(_ data: Data) -> Bool {
    var run = 0
    for byte in data {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"),
            UInt8(ascii: "+"), UInt8(ascii: "-"):
            run += 1
            if run > 100 { return true }
        default: run = 0
        }
    }
    return false
}

/// The byte offset in a tape syntax error ("... (byte N): ...").
private func syntaxErrorOffset(_ message: String) -> Int? {
    guard let open = message.range(of: "(byte "), let close = message[open.upperBound...].firstIndex(of: ")") else { return nil }
    return Int(message[open.upperBound..<close])
}

private func trailingComma(before offset: Int, in bytes: [UInt8]) -> Bool {
    guard offset < bytes.count, bytes[offset] == UInt8(ascii: "}") || bytes[offset] == UInt8(ascii: "]") else { return false }
    var index = offset - 1
    while index >= 0, [0x20, 0x0A, 0x0D, 0x09].contains(bytes[index]) { index -= 1 }
    return index >= 0 && bytes[index] == UInt8(ascii: ",")
}

/// The program's entry point (SwiftPM links `main` to it): libFuzzer's driver over fuzzDockerModels(_:_:).
@_cdecl("fuzz_docker_models_main")
public func fuzzDockerModelsMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>) -> CInt {
    runFuzzer(argc, argv, fuzzDockerModels)
}
