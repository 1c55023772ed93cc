import Dispatch
import HomelabCore

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Ctrl-C while `homelab rollout apply|resume` drives a run. The first SIGINT asks the runner to start no new step
/// and to finish or pause the running ones (`--on-interrupt`); a second one after `finish` pauses them too; one more
/// ends the process at once (as a crash would: the journal still lets `rollout resume` finish the run).
final class RolloutInterruptSignal: Sendable {
    private let presses = Locked(0)
    /// The source owns the SIGINT disposition while installed; only `install` and `remove` touch it.
    private nonisolated(unsafe) let source: any DispatchSourceSignal

    /// How many times Ctrl-C was pressed.
    var count: Int { presses.withLock { $0 } }

    private init(source: any DispatchSourceSignal) {
        self.source = source
    }

    /// Takes over SIGINT for `runner`'s run: `say` tells the operator what happens (through the progress display).
    static func install(
        runner: RolloutRunner, first: RolloutInterruption, say: @escaping @Sendable (String) async -> Void
    ) -> RolloutInterruptSignal {
        signal(SIGINT, SIG_IGN)
        let source = DispatchSource.makeSignalSource(signal: SIGINT, queue: .global())
        let handler = RolloutInterruptSignal(source: source)
        source.setEventHandler {
            let press = handler.presses.withLock { count in
                count += 1
                return count
            }
            switch (press, first) {
            case (1, .finishRunning):
                runner.interrupt(.finishRunning)
                Task { await say("interrupt: no new step starts; the running steps finish (Ctrl-C again: leave them to Swarm and stop now)") }
            case (1, .pauseRunning), (2, .finishRunning):
                runner.interrupt(.pauseRunning)
                Task { await say("interrupt: no new step starts; running steps are left to Swarm, stopping (Ctrl-C again: quit at once)") }
            default:
                signal(SIGINT, SIG_DFL)
                kill(getpid(), SIGINT)
            }
        }
        source.resume()
        return handler
    }

    /// Gives SIGINT back to its default (the process ends on Ctrl-C).
    func remove() {
        source.cancel()
        signal(SIGINT, SIG_DFL)
    }
}
