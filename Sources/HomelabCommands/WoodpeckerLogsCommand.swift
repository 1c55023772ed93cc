import ArgumentParser
import Foundation
import HomelabCore

extension WoodpeckerCommand {
    /// `homelab ci logs REPO NUMBER [STEP] [--follow]`: a pipeline's step logs; `--follow` streams the running
    /// steps' lines as they are written and waits for the steps still to come, until the pipeline ends (exit 3 when
    /// it failed).
    struct Logs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "logs",
            abstract: "Step logs of a pipeline (all steps, or one by name or ID); --follow streams them while they run.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The repository: OWNER/NAME or its ID.", completion: LiveNames.repositories) var repository: String
        @Argument(help: "The pipeline number.") var number: Int64
        @Argument(help: "Only this step (its name or ID).") var step: String?
        @Flag(name: [.customShort("f"), .long], help: "Stream the lines while the steps run, until the pipeline ends.") var follow = false

        func run() async throws {
            let (repository, number, wanted, follow, output) = (self.repository, self.number, self.step, self.follow, self.output)
            let writer = output.writer
            let collected = try await WoodpeckerCommand.with(config) { woodpecker -> (rows: [WoodpeckerLogRow], failed: Bool) in
                let repo = try await woodpecker.repos.resolve(repository)
                var pipeline = try await woodpecker.pipelines.get(repo: repo.id, number: number)
                let chosen = try Self.steps(pipeline, wanted)
                let prefix = chosen.count > 1
                var rows: [WoodpeckerLogRow] = []
                func emit(_ step: Woodpecker.Step, _ entry: Woodpecker.LogEntry) throws {
                    let row = WoodpeckerLogRow(step: step.name, line: entry.line, time: entry.time, text: entry.text)
                    if follow {
                        switch output.format {
                        case .json, .yaml: writer.terminal.print(try Self.jsonLine(row))
                        default: writer.terminal.print(prefix ? "[\(step.name)] \(row.text)" : row.text)
                        }
                    } else {
                        rows.append(row)
                    }
                }
                for stepID in chosen.map(\.id) {
                    if follow {
                        // Wait for the step to start (or the pipeline to end without it).
                        while let current = pipeline.steps.first(where: { $0.id == stepID }), current.state == .pending || current.state == .created
                            || current.state == .blocked, pipeline.status.isActive
                        {
                            try await Task.sleep(for: .seconds(1))
                            pipeline = try await woodpecker.pipelines.get(repo: repo.id, number: number)
                        }
                    }
                    guard let current = pipeline.steps.first(where: { $0.id == stepID }) else { continue }
                    if follow && current.state == .running {
                        for try await entry in woodpecker.logs.follow(repo: repo.id, pipeline: number, step: stepID) { try emit(current, entry) }
                        pipeline = try await woodpecker.pipelines.get(repo: repo.id, number: number)
                    } else if current.started ?? 0 > 0 {
                        for entry in try await woodpecker.logs.lines(repo: repo.id, pipeline: number, step: stepID) { try emit(current, entry) }
                    }
                }
                if follow {
                    while pipeline.status.isActive {
                        try await Task.sleep(for: .seconds(1))
                        pipeline = try await woodpecker.pipelines.get(repo: repo.id, number: number)
                    }
                }
                return (rows, pipeline.status.isFailure)
            }
            if !follow {
                switch output.format {
                case .table, .wide:
                    if !output.quiet {
                        let prefix = Set(collected.rows.map(\.step)).count > 1
                        for row in collected.rows { writer.terminal.print(prefix ? "[\(row.step)] \(row.text)" : row.text) }
                    }
                default:
                    try output.list(collected.rows, table: Table<WoodpeckerLogRow>([]), id: { "\($0.step):\($0.line)" })
                }
            }
            if follow && collected.failed { throw ExitStatus.failed.code }
        }

        /// The steps to show: the one named (by name or ID), or every step in order.
        static func steps(_ pipeline: Woodpecker.Pipeline, _ wanted: String?) throws -> [Woodpecker.Step] {
            let all = pipeline.steps
            guard let wanted else { return all }
            let found = all.filter { $0.name == wanted || String($0.id) == wanted }
            guard !found.isEmpty else {
                throw HomelabError(
                    .notFound, "pipeline #\(pipeline.number) has no step '\(wanted)' (steps: \(all.map(\.name).joined(separator: ", ")))",
                    component: "woodpecker")
            }
            return found
        }

        /// One row as one line of JSON.
        static func jsonLine(_ row: WoodpeckerLogRow) throws -> String {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            return String(decoding: try encoder.encode(row), as: UTF8.self)
        }
    }
}
