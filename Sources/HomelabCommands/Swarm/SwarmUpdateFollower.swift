import Foundation
import HomelabCore

/// How `swarm update` or `swarm rollback` ended, in `-o json` (the README's table).
struct SwarmUpdateOutcome: Encodable {
    var service: String
    var image: String
    /// `accepted` (--detach), `completed`, `paused`, `rolled_back`, `rollback_paused`, `timed_out`.
    var outcome: String
    var message: String?

    /// The exit status of the table: 0 accepted or completed, 2 paused, 3 rollback paused or timed out, 4 rolled back.
    var exitStatus: ExitStatus {
        switch outcome {
        case "accepted", "completed": return .success
        case "paused": return .pausedOrRefused
        case "rolled_back": return .rolledBack
        default: return .failed
        }
    }

    /// The summary line for people.
    var line: String {
        "\(service): \(outcome.replacingOccurrences(of: "_", with: " "))" + (message.map { $0.isEmpty ? "" : " (\($0))" } ?? "")
    }
}

/// Follows a service until its update (or rollback) ends, printing a line whenever the count of tasks on the new
/// spec or the update state changes (a TTY renderer may replace these lines).
struct SwarmUpdateFollower {
    let context: HomelabContext
    let output: OutputOptions
    let timeout: Double

    /// Waits for convergence and says how it ended.
    /// - Throws: ``HomelabError`` when a request fails.
    func follow(_ service: String, image: String) async throws -> SwarmUpdateOutcome {
        let last = Locked("")
        let output = self.output
        let outcome = try await context.swarm.waitForConvergence(
            service: service, deadline: .now + .milliseconds(Int(timeout * 1000)), pollInterval: .milliseconds(250),
            progress: { progress in
                var line = "\(progress.running)/\(progress.desired) tasks on the new spec"
                if let state = progress.updateState { line += " (\(state.rawValue))" }
                if case .verifying = progress.phase { line += ", verifying" }
                let changed = last.withLock { previous -> Bool in
                    defer { previous = line }
                    return previous != line
                }
                if changed { output.line("\(service): \(line)") }
            }, logger: context.logger)
        switch outcome {
        case .completed: return SwarmUpdateOutcome(service: service, image: image, outcome: "completed", message: nil)
        case .paused(let message): return SwarmUpdateOutcome(service: service, image: image, outcome: "paused", message: message)
        case .rollbackCompleted(let message):
            return SwarmUpdateOutcome(service: service, image: image, outcome: "rolled_back", message: message)
        case .rollbackPaused(let message):
            return SwarmUpdateOutcome(service: service, image: image, outcome: "rollback_paused", message: message)
        case .timedOut:
            return SwarmUpdateOutcome(
                service: service, image: image, outcome: "timed_out", message: "still converging after \(Int(timeout))s")
        }
    }

    /// `--image`: a full reference as it is; a bare tag (`2.10-alpine`, no `/` or `:`) replaces the tag of `current`.
    static func image(_ argument: String, replacing current: String) -> String {
        guard !argument.contains("/"), !argument.contains(":"), !argument.contains("@") else { return argument }
        var repository = SwarmText.shortImage(current)
        let lastSlash = repository.lastIndex(of: "/") ?? repository.startIndex
        if let colon = repository[lastSlash...].lastIndex(of: ":") { repository = String(repository[..<colon]) }
        return repository.isEmpty ? argument : "\(repository):\(argument)"
    }
}
