import Foundation
import HomelabCore
import Logging

/// Times `services.list(status: true)` (or, with `--listing summaries`, `services.summaries(status: true)`) through
/// one warm `SwarmClient` and prints one JSON line: the service count, the wall time of each listing, and this
/// process's CPU time per listing.
///
/// Usage: `swarm-list-bench [--host DOCKER_HOST] [--listing services|summaries] [--iterations 50] [--warmup 3]
/// [--breakdown]`, or `swarm-list-bench --decode FILE [--listing ...] [--decoder tape|foundation] [--iterations 50]`
/// (decoding alone, for callgrind);
/// `--on-transport-thread` runs the listings on the transport's own thread (``CurlTransport/executor``);
/// `--linger MICROSECONDS` sets the transport's linger (``CurlTransport/Configuration/linger``, default 200)
/// (`--warmup 0 --iterations 1` measures a cold process: negotiation and connection included).
@main
struct SwarmListBench {
    static func main() async {
        do {
            let options = try Options(CommandLine.arguments.dropFirst())
            if let file = options.decodeFile {
                try decodeOnly(file, options)
                return
            }
            var environment = ProcessInfo.processInfo.environment
            if let host = options.host { environment["DOCKER_HOST"] = host }
            // With --breakdown the client's transport notes when each exchange starts and ends, to split a listing's
            // wall time into before the exchange (request building), the exchange, and after it (decoding, hops).
            var configuration = CurlTransport.Configuration()
            if let linger = options.lingerMicroseconds { configuration.linger = .microseconds(linger) }
            let transport = try CurlTransport(configuration: configuration)
            let timing = TimingTransport(transport)
            let client = try SwarmClient(
                transport: options.breakdown ? timing : transport, connection: try .fromEnvironment(environment))
            // --on-transport-thread: the listings run on the transport's own thread (`CurlTransport.executor`).
            let executor: (any TaskExecutor)? = options.onTransportThread ? transport.executor : nil

            // One listing: how many services came back, and whether each carries its status counts.
            let list: @Sendable () async throws -> (count: Int, withStatus: Bool)
            switch options.listing {
            case "services":
                list = {
                    let listed = try await client.services.list(status: true)
                    return (listed.count, listed.allSatisfy { $0.serviceStatus != nil })
                }
            case "summaries":
                list = {
                    let listed = try await client.services.summaries(status: true)
                    return (listed.count, listed.allSatisfy { $0.serviceStatus != nil })
                }
            default: throw HomelabError(.invalidArgument, "--listing is services or summaries, not '\(options.listing)'")
            }
            var services = 0
            var walls: [Double] = []
            var phases: [(before: Double, exchange: Double, after: Double)] = []
            var cpuStart = 0.0
            try await withTaskExecutorPreference(executor) {
                for _ in 0..<options.warmup { services = try await list().count }
                cpuStart = cpuSeconds()
                for _ in 0..<options.iterations {
                    let start = ContinuousClock.now
                    let listed = try await list()
                    let end = ContinuousClock.now
                    walls.append((end - start).seconds)
                    if let (sent, received) = timing.last() {
                        phases.append(((sent - start).seconds, (received - sent).seconds, (end - received).seconds))
                    }
                    services = listed.count
                    guard listed.withStatus else {
                        throw HomelabError(.decodingFailed, "a service came back without its status")
                    }
                }
            }
            let cpu = cpuSeconds() - cpuStart
            let sorted = walls.sorted()
            let result: [String: Double] = [
                "iterations": Double(options.iterations),
                "services": Double(services),
                "wall_ms_mean": walls.reduce(0, +) / Double(max(1, walls.count)) * 1000,
                "wall_ms_median": (sorted.isEmpty ? 0 : sorted[sorted.count / 2]) * 1000,
                "cpu_ms_per_listing": cpu / Double(max(1, options.iterations)) * 1000,
                "api_version": Double(try await client.apiVersion().description) ?? 0,
            ]
            var output: [String: Any] = result
            output["walls_ms"] = walls.map { $0 * 1000 }
            if options.breakdown {
                // Where the time goes: the HTTP exchange alone, then decoding the same bytes alone.
                let endpoint = try DockerConnection.fromEnvironment(environment).endpoint()
                let transport = try CurlTransport(configuration: configuration)
                let request = HTTPRequest(path: try await client.apiVersion().pathPrefix + "/services?status=true")
                var body: [UInt8] = []
                var httpWalls: [Double] = []
                for _ in 0..<options.iterations {
                    let start = ContinuousClock.now
                    body = try await transport.execute(request, on: endpoint).body
                    httpWalls.append((ContinuousClock.now - start).seconds)
                }
                // What the client uses (the tape decoder), then Foundation's JSONDecoder on the same bytes.
                let decodeStart = cpuSeconds()
                for _ in 0..<options.iterations { _ = try decode(body, tape: true, options) }
                let foundationStart = cpuSeconds()
                for _ in 0..<options.iterations { _ = try decode(body, tape: false, options) }
                let iterations = Double(max(1, options.iterations))
                output["http_ms_median"] = httpWalls.sorted()[httpWalls.count / 2] * 1000
                output["decode_cpu_ms"] = (foundationStart - decodeStart) / iterations * 1000
                output["decode_foundation_cpu_ms"] = (cpuSeconds() - foundationStart) / iterations * 1000
                output["body_bytes"] = Double(body.count)
                func median(_ values: [Double]) -> Double { values.isEmpty ? 0 : values.sorted()[values.count / 2] * 1000 }
                output["listing_before_exchange_ms_median"] = median(phases.map(\.before))
                output["listing_exchange_ms_median"] = median(phases.map(\.exchange))
                output["listing_after_exchange_ms_median"] = median(phases.map(\.after))
            }
            let data = try JSONSerialization.data(withJSONObject: output, options: [.sortedKeys])
            print(String(decoding: data, as: UTF8.self))
        } catch {
            FileHandle.standardError.write(Data("swarm-list-bench: \(error)\n".utf8))
            exit(1)
        }
    }

    /// `--decode FILE`: decodes a saved `/services` answer `iterations` times with one decoder and nothing else, for
    /// instruction counts under `valgrind --tool=callgrind` (steady where wall time is not).
    static func decodeOnly(_ file: String, _ options: Options) throws {
        let body = [UInt8](try Data(contentsOf: URL(fileURLWithPath: file)))
        var services = 0
        let start = cpuSeconds()
        let tape: Bool
        switch options.decoder {
        case "foundation": tape = false
        case "tape": tape = true
        default: throw HomelabError(.invalidArgument, "--decoder is tape or foundation, not '\(options.decoder)'")
        }
        for _ in 0..<options.iterations { services = try decode(body, tape: tape, options) }
        let cpu = (cpuSeconds() - start) / Double(max(1, options.iterations)) * 1000
        print(
            #"{"decoder":"\#(options.decoder)","listing":"\#(options.listing)","services":\#(services),"bytes":\#(body.count),"#
                + #""cpu_ms_per_decode":\#(cpu)}"#)
    }

    /// Decodes a `/services` answer as the listing's models (`--listing`) with the tape or Foundation's decoder.
    static func decode(_ body: [UInt8], tape: Bool, _ options: Options) throws -> Int {
        switch (options.listing, tape) {
        case ("summaries", true): return try TapeJSONDecoder().decode([Swarm.ServiceSummary].self, from: body).count
        case ("summaries", false): return try JSONDecoder().decode([Swarm.ServiceSummary].self, from: Data(body)).count
        case ("services", true): return try TapeJSONDecoder().decode([Swarm.Service].self, from: body).count
        case ("services", false): return try JSONDecoder().decode([Swarm.Service].self, from: Data(body)).count
        default: throw HomelabError(.invalidArgument, "--listing is services or summaries, not '\(options.listing)'")
        }
    }

    /// CPU time of the whole process (all threads, the transport's driver thread included), in seconds.
    static func cpuSeconds() -> Double {
        var spec = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &spec)
        return Double(spec.tv_sec) + Double(spec.tv_nsec) / 1e9
    }
}

/// A transport that notes when its last exchange was handed to the wrapped one and when the answer came back.
final class TimingTransport: HTTPTransport, @unchecked Sendable {
    private let wrapped: CurlTransport
    private let lock = NSLock()
    private var sent: ContinuousClock.Instant?
    private var received: ContinuousClock.Instant?

    init(_ wrapped: CurlTransport) { self.wrapped = wrapped }

    func execute(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPResponse {
        let start = ContinuousClock.now
        let response = try await wrapped.execute(request, on: endpoint, logger: logger)
        let end = ContinuousClock.now
        lock.withLock { (sent, received) = (start, end) }
        return response
    }

    func stream(_ request: HTTPRequest, on endpoint: Endpoint, logger: Logger?) async throws -> HTTPStreamingResponse {
        try await wrapped.stream(request, on: endpoint, logger: logger)
    }

    func last() -> (ContinuousClock.Instant, ContinuousClock.Instant)? {
        lock.withLock { sent.flatMap { sent in received.map { (sent, $0) } } }
    }
}

struct Options {
    var host: String?
    var iterations = 50
    var warmup = 3
    var breakdown = false
    var decodeFile: String?
    var decoder = "tape"
    var listing = "services"
    var lingerMicroseconds: Int?
    var onTransportThread = false

    init(_ arguments: ArraySlice<String>) throws {
        var rest = arguments
        while let flag = rest.popFirst() {
            if flag == "--breakdown" {
                breakdown = true
                continue
            }
            if flag == "--on-transport-thread" {
                onTransportThread = true
                continue
            }
            guard let value = rest.popFirst() else { throw HomelabError(.invalidArgument, "\(flag) needs a value") }
            switch flag {
            case "--host": host = value
            case "--decode": decodeFile = value
            case "--decoder": decoder = value
            case "--listing": listing = value
            case "--iterations": iterations = try Self.count(value, flag)
            case "--warmup": warmup = try Self.count(value, flag)
            case "--linger": lingerMicroseconds = try Self.count(value, flag)
            default: throw HomelabError(.invalidArgument, "unknown option \(flag)")
            }
        }
    }

    static func count(_ text: String, _ flag: String) throws -> Int {
        guard let value = Int(text), value >= 0 else { throw HomelabError(.invalidArgument, "\(flag) wants a count, not '\(text)'") }
        return value
    }
}
