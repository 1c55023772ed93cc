import HomelabCore
import Foundation
import Synchronization

#if canImport(Glibc)
    import Glibc
#endif

/// Ctrl-C for the REPL: SIGINT cancels the command running now (its task) and the REPL goes back to the prompt;
/// at the prompt it does nothing (Ctrl-D leaves). The signal is caught by a handler that only writes a byte to
/// a pipe (async-signal-safe); a thread reading the pipe does the rest, outside the handler.
final class Interrupts: Sendable {
    /// The task of the command running now, and how many interrupts it has had.
    private final class Running: Sendable {
        let state = Locked<(task: Task<Int32, Never>?, count: Int)>((nil, 0))
    }

    private let running = Running()

    /// Installs the SIGINT handler (SA_RESTART, so reads at the prompt carry on) for the rest of the process.
    init() {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else { return }
        for fd in fds { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        // The handler never blocks: a full pipe drops the byte, and one byte is as good as many.
        _ = fcntl(fds[1], F_SETFL, O_NONBLOCK)
        interruptPipeWriteEnd.store(fds[1], ordering: .relaxed)
        let readEnd = fds[0]
        Thread.detachNewThread { [running] in
            var byte: UInt8 = 0
            while true {
                let count = read(readEnd, &byte, 1)
                if count < 0, errno == EINTR { continue }
                guard count > 0 else { return }
                let task = running.state.withLock { state -> Task<Int32, Never>? in
                    state.count += 1
                    return state.task
                }
                task?.cancel()
            }
        }
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in
            var byte: UInt8 = 3
            _ = write(interruptPipeWriteEnd.load(ordering: .relaxed), &byte, 1)
        }
        action.sa_flags = SA_RESTART
        sigemptyset(&action.sa_mask)
        sigaction(SIGINT, &action, nil)
    }

    /// Runs `command` as the task Ctrl-C cancels, and waits for it (or, after a second Ctrl-C, stops waiting
    /// and lets it finish alone, so the prompt always comes back). Returns its status (130 when abandoned) and
    /// whether Ctrl-C came while it ran.
    func run(_ command: @escaping @Sendable () async -> Int32) async -> (status: Int32, interrupted: Bool) {
        let task = Task { await command() }
        running.state.withLock { $0 = (task, 0) }
        let status = await withTaskGroup(of: Int32?.self) { [running] group in
            group.addTask { await task.value }
            group.addTask {
                while !Task.isCancelled {
                    if running.state.withLock({ $0.count }) >= 2 { return nil }
                    try? await Task.sleep(for: .milliseconds(50))
                }
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first ?? 130
        }
        let interrupted = running.state.withLock { state -> Bool in
            defer { state = (nil, 0) }
            return state.count > 0
        }
        return (status, interrupted)
    }
}

/// The write end of the interrupt pipe, for the signal handler (which can capture nothing).
private let interruptPipeWriteEnd = Atomic<Int32>(-1)
