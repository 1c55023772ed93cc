import Foundation

extension Swarm {
    /// One piece of a service's or task's log: what one container wrote to stdout or stderr.
    public struct LogEntry: Sendable, Hashable {
        /// Which output stream the bytes came from.
        public enum Stream: Sendable, Hashable {
            /// Standard output.
            case stdout
            /// Standard error.
            case stderr
        }

        /// Which stream.
        public var stream: Stream
        /// The RFC 3339 timestamp, when ``LogOptions/timestamps`` was asked for (see ``Timestamp``).
        public var timestamp: String?
        /// Docker's details (`com.docker.swarm.task.id`, `com.docker.swarm.node.id`, ...), when
        /// ``LogOptions/details`` was asked for.
        public var attributes: [String: String]
        /// The bytes written, without the trailing newline.
        public var message: [UInt8]

        /// Creates an entry.
        public init(stream: Stream, timestamp: String? = nil, attributes: [String: String] = [:], message: [UInt8]) {
            self.stream = stream
            self.timestamp = timestamp
            self.attributes = attributes
            self.message = message
        }

        /// The message as UTF-8 text (invalid bytes replaced).
        public var text: String { String(decoding: message, as: UTF8.self) }

        /// The task that wrote it, when details were asked for.
        public var taskID: String? { attributes["com.docker.swarm.task.id"] }
    }
}

extension Swarm {
    /// What part of a log to fetch.
    public struct LogOptions: Sendable, Hashable {
        /// Include standard output.
        public var stdout: Bool
        /// Include standard error.
        public var stderr: Bool
        /// Keep the stream open and deliver new output as it is written.
        public var follow: Bool
        /// Only the last this many lines of each task; `nil` for all.
        public var tail: Int?
        /// Only output written at or after this time.
        public var since: Date?
        /// Prefix each entry with its timestamp (see ``LogEntry/timestamp``).
        public var timestamps: Bool
        /// Add Docker's details (task, node, service IDs; see ``LogEntry/attributes``).
        public var details: Bool

        /// Both streams, the whole log, no follow; timestamps and details off.
        public init(
            stdout: Bool = true, stderr: Bool = true, follow: Bool = false, tail: Int? = nil, since: Date? = nil,
            timestamps: Bool = false, details: Bool = false
        ) {
            self.stdout = stdout
            self.stderr = stderr
            self.follow = follow
            self.tail = tail
            self.since = since
            self.timestamps = timestamps
            self.details = details
        }

        var queryItems: [(String, String)] {
            var items: [(String, String)] = [
                ("stdout", stdout ? "true" : "false"), ("stderr", stderr ? "true" : "false"),
                ("follow", follow ? "true" : "false"), ("timestamps", timestamps ? "true" : "false"),
                ("details", details ? "true" : "false"), ("tail", tail.map { String(max(0, $0)) } ?? "all"),
            ]
            if let since { items.append(("since", LogOptions.unixTimestamp(since))) }
            return items
        }

        /// `seconds.nanoseconds`, the form Docker's `since` takes.
        static func unixTimestamp(_ date: Date) -> String {
            let interval = date.timeIntervalSince1970
            let seconds = interval.rounded(.down)
            let nanos = min(999_999_999, Int(((interval - seconds) * 1e9).rounded()))
            return String(format: "%lld.%09d", Int64(seconds), nanos)
        }
    }
}

extension Swarm {
    /// Splits Docker's multiplexed stream (`application/vnd.docker.multiplexed-stream`) into frames.
    ///
    /// Each frame is an 8-byte header `[stream, 0, 0, 0, size as big-endian UInt32]` and `size` bytes. Stream 1 is
    /// stdout, 2 stderr, 0 stdin (reported as stdout) and 3 an error from the engine, which ends the stream. A value
    /// type fed with chunks as they arrive; it holds back an incomplete frame until the rest comes.
    public struct StreamDemultiplexer: Sendable {
        /// A decoded frame.
        public struct Frame: Sendable, Hashable {
            /// The stream the frame belongs to (stdin is reported as stdout).
            public var stream: LogEntry.Stream
            /// The frame's bytes.
            public var payload: [UInt8]
        }

        private var buffer: [UInt8] = []
        private var start = 0

        /// A demultiplexer holding nothing yet.
        public init() {}

        /// The frames completed by `chunk`.
        /// - Throws: ``HomelabError/Code/decodingFailed`` for a frame of an unknown stream type, and
        ///   ``HomelabError/Code/commandFailed`` with the engine's text for an error frame (type 3).
        public mutating func feed(_ chunk: [UInt8]) throws -> [Frame] {
            buffer.append(contentsOf: chunk)
            var frames: [Frame] = []
            while buffer.count - start >= 8 {
                let type = buffer[start]
                guard type <= 3, buffer[start + 1] == 0, buffer[start + 2] == 0, buffer[start + 3] == 0 else {
                    throw HomelabError(
                        .decodingFailed, "the log stream has a malformed frame header (type \(type)); is it multiplexed?",
                        component: "docker")
                }
                let size = buffer[(start + 4)..<(start + 8)].reduce(0) { ($0 << 8) | Int($1) }
                guard buffer.count - start - 8 >= size else { break }
                let payload = Array(buffer[(start + 8)..<(start + 8 + size)])
                start += 8 + size
                switch type {
                case 0, 1: frames.append(Frame(stream: .stdout, payload: payload))
                case 2: frames.append(Frame(stream: .stderr, payload: payload))
                default:
                    throw HomelabError(
                        .commandFailed, "the engine reported an error in the log stream", component: "docker",
                        serverMessage: String(decoding: payload, as: UTF8.self))
                }
            }
            if start > 65_536 || start == buffer.count {
                buffer.removeFirst(start)
                start = 0
            }
            return frames
        }

        /// Bytes of an incomplete frame still held back.
        public var pendingByteCount: Int { buffer.count - start }
    }
}

extension Swarm {
    /// Turns frames (or raw TTY output) into ``LogEntry`` values, one per line.
    public struct LogLineSplitter: Sendable {
        /// Whether each line starts with a timestamp and a space.
        public let timestamps: Bool
        /// Whether each line starts with `key=value,...` details and a space.
        public let details: Bool
        private var pending: [LogEntry.Stream: [UInt8]] = [:]

        /// A splitter for lines written with `timestamps` and `details` as requested from the engine.
        public init(timestamps: Bool, details: Bool) {
            self.timestamps = timestamps
            self.details = details
        }

        /// Entries for every complete line in `bytes`; a partial line waits for the rest of it.
        public mutating func entries(_ stream: LogEntry.Stream, _ bytes: [UInt8]) -> [LogEntry] {
            var data = pending[stream, default: []] + bytes
            var result: [LogEntry] = []
            while let newline = data.firstIndex(of: UInt8(ascii: "\n")) {
                result.append(entry(stream, Array(data[..<newline])))
                data.removeSubrange(...newline)
            }
            pending[stream] = data
            return result
        }

        /// Entries for whatever partial lines remain at the end of the stream.
        public mutating func flush() -> [LogEntry] {
            var result: [LogEntry] = []
            for stream in [LogEntry.Stream.stdout, .stderr] {
                if let data = pending[stream], !data.isEmpty { result.append(entry(stream, data)) }
            }
            pending = [:]
            return result
        }

        private func entry(_ stream: LogEntry.Stream, _ line: [UInt8]) -> LogEntry {
            var rest = line[...]
            if rest.last == UInt8(ascii: "\r") { rest = rest.dropLast() }
            var timestamp: String?
            var attributes: [String: String] = [:]
            if timestamps, let space = rest.firstIndex(of: UInt8(ascii: " ")) {
                timestamp = String(decoding: rest[..<space], as: UTF8.self)
                rest = rest[(space + 1)...]
            }
            if details {
                let space = rest.firstIndex(of: UInt8(ascii: " ")) ?? rest.endIndex
                for pair in String(decoding: rest[..<space], as: UTF8.self).split(separator: ",") {
                    let parts = pair.split(separator: "=", maxSplits: 1)
                    if parts.count == 2 { attributes[String(parts[0])] = String(parts[1]) }
                }
                rest = space < rest.endIndex ? rest[(space + 1)...] : rest[rest.endIndex...]
            }
            return LogEntry(stream: stream, timestamp: timestamp, attributes: attributes, message: Array(rest))
        }
    }
}
