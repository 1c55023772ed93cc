import ArgumentParser
import Foundation
import HomelabCore

/// `--on-interrupt finish|pause`: what the first Ctrl-C does to the steps running at that moment.
struct RolloutInterruptOptions: ParsableArguments {
    enum Choice: String, ExpressibleByArgument, CaseIterable {
        case finish, pause
    }

    @Option(
        name: .customLong("on-interrupt"),
        help: """
            What Ctrl-C does to the running steps: finish (wait for them; a second Ctrl-C pauses) or pause (leave \
            them to Swarm and stop at once). No new step starts either way; `rollout resume ID` carries on.
            """)
    var onInterrupt: Choice = .finish

    var interruption: RolloutInterruption { onInterrupt == .finish ? .finishRunning : .pauseRunning }
}

extension RolloutCommand {
    /// Runs `body` (the runner's apply or resume) with its progress shown (live lines on a terminal) and Ctrl-C
    /// handled; after an interrupt, prints the steps left running and how to resume.
    static func watch(
        _ runner: RolloutRunner, request: RolloutRequest?, interrupts: RolloutInterruptOptions, journal: RolloutJournal,
        _ body: () async throws -> RolloutResult
    ) async throws -> RolloutResult {
        let display = RolloutProgressDisplay(
            terminal: ProgressTerminal.standardOutput(environment: Terminal.active.environment), request: request)
        let shown = Task { await display.show(runner.events) }
        let signal = RolloutInterruptSignal.install(runner: runner, first: interrupts.interruption) { await display.say($0) }
        defer { signal.remove() }
        let result: RolloutResult
        do {
            result = try await body()
        } catch {
            shown.cancel()
            await shown.value
            throw error
        }
        await shown.value
        if signal.count > 0, result.status == .paused {
            let left = (try? await journal.steps(runID: result.runID))?.filter { $0.status == .running }.map(\.stepID) ?? []
            if !left.isEmpty { print("left running in Swarm (a resume re-inspects them): \(left.joined(separator: ", "))") }
            print("rollout \(result.runID) paused by the interrupt; resume it with: homelab rollout resume \(result.runID)")
        }
        return result
    }
}
