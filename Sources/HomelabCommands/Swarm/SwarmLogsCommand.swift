import ArgumentParser
import Foundation
import HomelabCore

extension SwarmCommand {
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Show a service's log, each line prefixed with its task and node (as docker service logs).",
            discussion: """
                The container's standard error goes to standard error. -o json prints one JSON object per line \
                (timestamp, stream, task, node, message).
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The service: stack_service, stack/service, its inventory name, or an ID.", completion: LiveNames.services)
        var service: String
        @Flag(name: [.short, .long], help: "Keep following new output.") var follow = false
        @Option(name: .long, help: "Only the last N lines of each task.") var tail: Int?
        @Option(name: .long, help: "Only output since T: 30s, 10m, 2h, 3d ago, an RFC 3339 time or Unix seconds.")
        var since: String?
        @Flag(name: [.short, .long], help: "Prefix each line with its timestamp.") var timestamps = false
        @Flag(name: .long, help: "No task@node prefix.") var noPrefix = false

        func validate() throws {
            if let tail, tail < 0 { throw ValidationError("--tail must be 0 or more, got \(tail)") }
            if let since, SwarmText.since(since, now: Date()) == nil {
                throw ValidationError("--since takes 30s, 10m, 2h, 3d, an RFC 3339 time or Unix seconds, got \(since)")
            }
            if output.format == .yaml || output.format == .mermaid || output.format == .wide {
                throw ValidationError("swarm logs prints lines (table) or JSON lines (-o json)")
            }
        }

        /// One log line in `-o json` (a row of the README's table).
        struct Line: Encodable {
            var timestamp: String?
            var stream: String
            var task: String?
            var node: String?
            var message: String
        }

        func run() async throws {
            let terminal = Terminal.active
            try await HomelabContext.with(config) { context in
                let found = try await SwarmCommand.service(service, context: context)
                let name = found.spec?.name ?? service
                async let taskList = context.swarm.tasks.list(filters: .service(found.id ?? name), logger: context.logger)
                async let nodeList = context.swarm.nodes.list(logger: context.logger)
                let (tasks, nodes) = try await (taskList, nodeList)
                let nodeNames = Dictionary(nodes.compactMap { n in n.id.map { ($0, n.nodeName) } }, uniquingKeysWith: { a, _ in a })
                let taskNames = Dictionary(
                    tasks.compactMap { t in t.id.map { ($0, "\(name).\(t.slot.map(String.init) ?? t.nodeID ?? "?")") } },
                    uniquingKeysWith: { a, _ in a })
                let options = Swarm.LogOptions(
                    follow: follow, tail: tail, since: since.flatMap { SwarmText.since($0, now: terminal.now()) },
                    timestamps: timestamps, details: true)
                let entries = try await context.swarm.services.logs(found.id ?? name, options: options, logger: context.logger)
                for try await entry in entries {
                    let task = entry.taskID.map { taskNames[$0] ?? "\(name).\($0.prefix(12))" }
                    let node = entry.attributes["com.docker.swarm.node.id"].map { nodeNames[$0] ?? $0 }
                    if output.quiet { continue }
                    if output.format == .json {
                        let line = Line(
                            timestamp: entry.timestamp, stream: entry.stream == .stderr ? "stderr" : "stdout", task: task,
                            node: node, message: entry.text)
                        let data = try JSONEncoder.sortedCompact.encode(line)
                        terminal.print(String(decoding: data, as: UTF8.self))
                        continue
                    }
                    var text = ""
                    if let stamp = entry.timestamp { text += stamp + " " }
                    if !noPrefix { text += "\(task ?? name)@\(node ?? "?")    | " }
                    text += entry.text
                    if entry.stream == .stderr { terminal.printError(text) } else { terminal.print(text) }
                }
            }
        }
    }
}

extension JSONEncoder {
    /// One line per value, keys sorted (JSON lines).
    static var sortedCompact: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }
}
