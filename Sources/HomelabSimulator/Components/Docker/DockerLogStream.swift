import Foundation
import Hummingbird

/// The query of `GET /services/{id}/logs` and `GET /tasks/{id}/logs`, read as the daemon reads it
/// (`api/server/router/swarm/helpers.go` `swarmLogs`, `daemon/cluster/services.go` `ServiceLogs`).
///
/// As the daemon, the swarm endpoints read no `until` (only `GET /containers/{id}/logs` has one).
struct DockerLogQuery: Sendable, Hashable {
    var stdout: Bool
    var stderr: Bool
    var follow: Bool
    var timestamps: Bool
    var details: Bool
    /// The last this many lines of each task; `nil` for all.
    var tail: Int?
    /// Only lines written at or after this time.
    var since: Date?
    /// Whether the answer says it is multiplexed: not for a TTY's log, nor below API 1.42, where the daemon
    /// calls even a multiplexed body `application/vnd.docker.raw-stream`.
    var announcesMultiplexed = true

    /// Reads the query's flags; ``readRange(_:)`` reads the rest once the object is found (the daemon's order).
    /// - Throws: ``DockerAPIError`` 400 when neither stream is asked for.
    init(_ query: QueryString) throws {
        func flag(_ name: String) -> Bool {
            guard let value = query[name]?.trimmingCharacters(in: .whitespaces).lowercased() else { return false }
            return !["", "0", "no", "false", "none"].contains(value)
        }
        stdout = flag("stdout")
        stderr = flag("stderr")
        guard stdout || stderr else { throw DockerAPIError.badRequest("Bad parameters: you must choose at least one stream") }
        follow = flag("follow")
        timestamps = flag("timestamps")
        details = flag("details")
    }

    /// Reads `tail` and `since`.
    /// - Throws: ``DockerAPIError`` 500 for a bad `tail` or `since`, with the daemon's words (its errors there carry
    ///   no status, so they are 500s).
    mutating func readRange(_ query: QueryString) throws {
        let tailText = query["tail"] ?? ""
        if tailText.isEmpty || tailText == "all" {
            tail = nil
        } else {
            guard let count = Int(tailText) else {
                throw DockerAPIError.internalServerError("tail value must be a positive integer or \"all\"")
            }
            guard count >= 0 else { throw DockerAPIError.internalServerError("negative tail values not supported") }
            tail = count
        }
        let sinceText = query["since"] ?? ""
        since = sinceText.isEmpty ? nil : try Self.unixTime(sinceText)
    }

    /// `seconds[.fraction]` as moby's `timetypes.ParseTimestamps` reads it (the fraction scaled to nanoseconds).
    /// - Throws: ``DockerAPIError`` 500 `could not parse since timestamp: strconv.ParseInt: ...`.
    static func unixTime(_ text: String) throws -> Date {
        func parse(_ part: Substring) throws -> Int64 {
            guard let value = Int64(part) else {
                throw DockerAPIError.internalServerError(
                    "could not parse since timestamp: strconv.ParseInt: parsing \"\(part)\": invalid syntax")
            }
            return value
        }
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let seconds = try parse(parts[0])
        guard parts.count == 2 else { return Date(timeIntervalSince1970: TimeInterval(seconds)) }
        let fraction = try parse(parts[1])
        let nanos = Double(fraction) * pow(10, Double(9 - parts[1].count))
        return Date(timeIntervalSince1970: TimeInterval(seconds) + nanos / 1e9)
    }

    /// Whether a line passes the stream and `since` filters.
    func admits(_ line: SimulatedLogLine) -> Bool {
        (line.isStderr ? stderr : stdout) && !(since.map { line.time < $0 } ?? false)
    }

    /// The lines a request answers first: the last `tail` of each task, then `since`, all in time order.
    func initialLines(_ log: SimulatedLog) -> [SimulatedLogLine] {
        let kept = log.tasks.flatMap { lines in
            let admitted = lines.filter(admits)
            return tail.map { Array(admitted.suffix($0)) } ?? admitted
        }
        return kept.enumerated().sorted { ($0.element.time, $0.offset) < ($1.element.time, $1.offset) }.map(\.element)
    }

    /// A line as `httputils.WriteLogStream` writes it: the timestamp (RFC 3339, nanoseconds, fixed width) and a space,
    /// the details (`com.docker.swarm.node.id=...,com.docker.swarm.service.id=...,com.docker.swarm.task.id=...`) and a
    /// space, the text and its newline; framed (`[stream, 0, 0, 0, size]`) unless the log is a TTY's.
    func bytes(_ line: SimulatedLogLine, tty: Bool) -> [UInt8] {
        var text = ""
        if timestamps { text += Self.rfc3339NanoFixed(line.time) + " " }
        if details {
            let attributes = [
                ("com.docker.swarm.node.id", line.nodeID), ("com.docker.swarm.service.id", line.serviceID),
                ("com.docker.swarm.task.id", line.taskID),
            ]
            text += attributes.map { "\(Self.queryEscape($0.0))=\(Self.queryEscape($0.1))" }.joined(separator: ",") + " "
        }
        let payload = Array((text + line.text + "\n").utf8)
        if tty { return payload }
        let size = UInt32(payload.count)
        let header: [UInt8] = [
            line.isStderr ? 2 : 1, 0, 0, 0, UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF),
            UInt8(size & 0xFF),
        ]
        return header + payload
    }

    /// Go's `2006-01-02T15:04:05.000000000Z07:00` in UTC (microseconds are what a `Date` holds exactly).
    static func rfc3339NanoFixed(_ date: Date) -> String {
        var seconds = date.timeIntervalSince1970.rounded(.down)
        var micros = Int(((date.timeIntervalSince1970 - seconds) * 1e6).rounded())
        if micros >= 1_000_000 {
            micros -= 1_000_000
            seconds += 1
        }
        let whole = Date(timeIntervalSince1970: seconds).formatted(Date.ISO8601FormatStyle(timeZone: .gmt))
        return String(whole.dropLast()) + String(format: ".%09dZ", micros * 1_000)
    }

    /// Go's `url.QueryEscape`.
    static func queryEscape(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
                out.append(Character(Unicode.Scalar(byte)))
            case UInt8(ascii: " "): out.append("+")
            default: out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}

/// Answers a log request: the lines so far, then (with `follow`) new lines as the world's tasks write them, until the
/// object is gone, the simulation stops or the client goes away.
struct DockerLogStream: Sendable {
    let world: DockerWorld
    let query: DockerLogQuery
    /// Reads the log again (the object's current lines; `nil` once it is gone).
    let read: @Sendable () async -> SimulatedLog?

    /// How often a followed log looks for new lines (real time).
    static let pollInterval = Duration.milliseconds(50)

    /// The response for `log`, read once already (so a missing object was a 404 before any byte went out).
    func response(_ log: SimulatedLog) -> Response {
        var headers = HTTPFields()
        let multiplexed = !log.tty && query.announcesMultiplexed
        headers[.contentType] = multiplexed ? "application/vnd.docker.multiplexed-stream" : "application/vnd.docker.raw-stream"
        let initial = self.query.initialLines(log).flatMap { self.query.bytes($0, tty: log.tty) }
        guard self.query.follow else {
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: initial)))
        }
        let (query, world, read) = (self.query, self.world, self.read)
        let seen = Set(log.tasks.joined().map(\.key))
        let tty = log.tty
        return Response(
            status: .ok, headers: headers,
            body: ResponseBody { writer in
                var sent = seen
                try await writer.write(ByteBuffer(bytes: initial))
                while !Task.isCancelled {
                    try await Task.sleep(for: Self.pollInterval)
                    guard await !world.isShutDown, let now = await read() else { break }
                    let fresh = now.tasks.joined().filter { !sent.contains($0.key) }.sorted { $0.time < $1.time }
                    for line in fresh {
                        sent.insert(line.key)
                        if query.admits(line) { try await writer.write(ByteBuffer(bytes: query.bytes(line, tty: tty))) }
                    }
                }
                try await writer.finish(nil)
            })
    }
}
