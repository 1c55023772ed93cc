import Foundation

extension Woodpecker {
    /// A pipeline (`Pipeline`): one run for one commit, with its workflows and their steps when read one by one.
    public struct Pipeline: Codable, Sendable, Hashable {
        public var id: Int64
        /// The per-repository number people use (`#42`).
        public var number: Int64
        public var status: Status
        /// `push`, `pull_request`, `tag`, `release`, `deployment`, `cron`, `manual`, ... (kept as sent).
        public var event: String?
        public var branch: String?
        public var ref: String?
        /// The commit's sha.
        public var commit: String?
        public var message: String?
        public var author: String?
        public var sender: String?
        public var forgeURL: String?
        /// Unix seconds.
        public var created: Int64?
        /// Unix seconds; 0 until it starts.
        public var started: Int64?
        /// Unix seconds; 0 until it finishes.
        public var finished: Int64?
        /// Unix seconds.
        public var updated: Int64?
        /// Who approved or declined it.
        public var reviewedBy: String?
        public var workflows: [Workflow]?
        public var errors: [PipelineError]?

        enum CodingKeys: String, CodingKey {
            case id, number, status, event, branch, ref, commit, message, author, sender, created, started, finished, updated
            case workflows, errors
            case forgeURL = "forge_url"
            case reviewedBy = "reviewed_by"
        }

        /// A pipeline.
        public init(id: Int64, number: Int64, status: Status, event: String? = "push", branch: String? = "main", commit: String? = nil) {
            self.id = id
            self.number = number
            self.status = status
            self.event = event
            self.branch = branch
            self.commit = commit
        }

        /// When it was created.
        public var createdAt: Date? { Woodpecker.date(created) }
        /// When it started.
        public var startedAt: Date? { Woodpecker.date(started) }
        /// When it finished.
        public var finishedAt: Date? { Woodpecker.date(finished) }
        /// How long it ran (until now while running); `nil` before it starts.
        public func duration(now: Date = Date()) -> TimeInterval? {
            guard let start = startedAt else { return nil }
            return (finishedAt ?? now).timeIntervalSince(start)
        }
        /// The first line of the commit message.
        public var title: String { message?.split(separator: "\n", maxSplits: 1).first.map(String.init) ?? "" }
        /// Every step of every workflow, in order.
        public var steps: [Step] { (workflows ?? []).flatMap { $0.children ?? [] } }
    }

    /// A workflow of a pipeline (`model.Workflow`): one config file's run on one agent.
    public struct Workflow: Codable, Sendable, Hashable {
        public var id: Int64
        public var pid: Int64?
        public var name: String
        public var state: Status
        public var started: Int64?
        public var finished: Int64?
        public var agentID: Int64?
        public var platform: String?
        public var error: String?
        public var children: [Step]?

        enum CodingKeys: String, CodingKey {
            case id, pid, name, state, started, finished, platform, error, children
            case agentID = "agent_id"
        }

        /// A workflow.
        public init(id: Int64, pid: Int64, name: String, state: Status, children: [Step]) {
            self.id = id
            self.pid = pid
            self.name = name
            self.state = state
            self.children = children
        }
    }

    /// A step of a workflow (`Step`); its `id` names its log.
    public struct Step: Codable, Sendable, Hashable {
        public var id: Int64
        public var pid: Int64?
        public var ppid: Int64?
        public var uuid: String?
        public var name: String
        public var state: Status
        /// `clone`, `service`, `plugin`, `commands`, `cache` (kept as sent).
        public var type: String?
        public var exitCode: Int?
        public var started: Int64?
        public var finished: Int64?
        public var error: String?

        enum CodingKeys: String, CodingKey {
            case id, pid, ppid, uuid, name, state, type, started, finished, error
            case exitCode = "exit_code"
        }

        /// A step.
        public init(id: Int64, pid: Int64, name: String, state: Status, type: String? = "commands") {
            self.id = id
            self.pid = pid
            self.name = name
            self.state = state
            self.type = type
        }
    }

    /// A pipeline error or warning (`errors.PipelineError`): a config that does not parse, a linter finding.
    public struct PipelineError: Codable, Sendable, Hashable {
        public var type: String?
        public var message: String
        public var isWarning: Bool?

        enum CodingKeys: String, CodingKey {
            case type, message
            case isWarning = "is_warning"
        }
    }

    /// One line of a step's log (`LogEntry`). `data` is bytes, which the server writes as base64 (Go's `[]byte`;
    /// the swagger file calls it an array of integers, which some proxies and old servers send: both are read).
    public struct LogEntry: Codable, Sendable, Hashable {
        public var id: Int64?
        public var stepID: Int64?
        /// Seconds since the step started.
        public var time: Int64?
        /// The line number, from 0.
        public var line: Int64
        public var data: [UInt8]
        /// 0 stdout/stderr, 1 exit code, 2 metadata, 3 progress, 4 the step's own message.
        public var type: Int?

        enum CodingKeys: String, CodingKey {
            case id, time, line, data, type
            case stepID = "step_id"
        }

        /// A log line.
        public init(line: Int64, text: String, time: Int64 = 0, stepID: Int64? = nil) {
            self.line = line
            data = Array(text.utf8)
            self.time = time
            self.stepID = stepID
            type = 0
        }

        /// Reads `data` as base64 text or an array of byte values.
        /// - Throws: `DecodingError` for a line without its number or data of another shape.
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decodeIfPresent(Int64.self, forKey: .id)
            stepID = try container.decodeIfPresent(Int64.self, forKey: .stepID)
            time = try container.decodeIfPresent(Int64.self, forKey: .time)
            line = try container.decodeIfPresent(Int64.self, forKey: .line) ?? 0
            type = try container.decodeIfPresent(Int.self, forKey: .type)
            if let text = try? container.decodeIfPresent(String.self, forKey: .data) {
                guard let bytes = Data(base64Encoded: text) else {
                    throw DecodingError.dataCorruptedError(forKey: .data, in: container, debugDescription: "not base64")
                }
                data = [UInt8](bytes)
            } else {
                data = try container.decodeIfPresent([UInt8].self, forKey: .data) ?? []
            }
        }

        /// Writes `data` as base64, as the server does.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encodeIfPresent(id, forKey: .id)
            try container.encodeIfPresent(stepID, forKey: .stepID)
            try container.encodeIfPresent(time, forKey: .time)
            try container.encode(line, forKey: .line)
            try container.encode(Data(data).base64EncodedString(), forKey: .data)
            try container.encodeIfPresent(type, forKey: .type)
        }

        /// The line as text (invalid UTF-8 replaced), without its trailing newline.
        public var text: String {
            var text = String(decoding: data, as: UTF8.self)
            while text.hasSuffix("\n") || text.hasSuffix("\r") { text.removeLast() }
            return text
        }
    }

    /// What manual triggers send (`PipelineOptions`).
    public struct PipelineOptions: Codable, Sendable, Hashable {
        public var branch: String
        public var variables: [String: String]?

        /// Run `branch` with `variables`.
        public init(branch: String, variables: [String: String]? = nil) {
            self.branch = branch
            self.variables = variables
        }
    }
}
