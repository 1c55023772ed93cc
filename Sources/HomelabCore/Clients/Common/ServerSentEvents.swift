import Foundation

/// One event of a `text/event-stream` body (the WHATWG "server-sent events" format).
public struct ServerSentEvent: Sendable, Hashable {
    /// The `event:` field; `message` when the event named none.
    public var event: String
    /// The `data:` lines joined with newlines.
    public var data: String
    /// The `id:` field, when given.
    public var id: String?

    /// An event.
    public init(event: String = "message", data: String, id: String? = nil) {
        self.event = event
        self.data = data
        self.id = id
    }
}

/// Reads server-sent events from a streamed body (Woodpecker's `/api/stream/logs/...` and `/api/stream/events`):
/// fields up to a blank line make one event; comment lines (`: ping`) are skipped.
public enum ServerSentEvents {
    /// The events of `body`, as they arrive; the stream ends with the body.
    public static func events(_ body: HTTPBody) -> AsyncThrowingStream<ServerSentEvent, any Error> {
        let lines = body.lines
        return AsyncThrowingStream { continuation in
            let task = Task {
                var parser = Parser()
                do {
                    for try await line in lines {
                        if let event = parser.feed(String(decoding: line, as: UTF8.self)) { continuation.yield(event) }
                    }
                    if let event = parser.feed("") { continuation.yield(event) }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    /// The line-by-line state: fields seen since the last blank line.
    public struct Parser: Sendable {
        var event: String?
        var data: [String] = []
        var id: String?

        /// A parser with nothing read.
        public init() {}

        /// Reads one line (without its newline); returns the event a blank line completes.
        public mutating func feed(_ line: String) -> ServerSentEvent? {
            if line.isEmpty {
                defer { event = nil; data = []; id = nil }
                guard !data.isEmpty || event != nil else { return nil }
                return ServerSentEvent(event: event ?? "message", data: data.joined(separator: "\n"), id: id)
            }
            if line.hasPrefix(":") { return nil }
            let name: Substring
            var value: Substring
            if let colon = line.firstIndex(of: ":") {
                name = line[..<colon]
                value = line[line.index(after: colon)...]
                if value.first == " " { value = value.dropFirst() }
            } else {
                name = Substring(line)
                value = ""
            }
            switch name {
            case "event": event = String(value)
            case "data": data.append(String(value))
            case "id": id = String(value)
            default: break
            }
            return nil
        }
    }
}
