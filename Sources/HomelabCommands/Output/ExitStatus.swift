import ArgumentParser

/// The exit codes of every `homelab` command: one table, in the README's CLI section.
///
/// A command ends with one by throwing its ``code`` (`throw ExitStatus.degraded.code`); errors are mapped by
/// ``HomelabCommand/run(arguments:)``: a usage error is 64, any other failure 1.
public enum ExitStatus: Int32, CaseIterable, Sendable {
    /// It worked: everything asked for was done, or everything looked at is fine.
    case success = 0
    /// An error: bad configuration, a server refused, a component was unreachable when it was needed.
    case error = 1
    /// Paused, or refused with nothing changed (a rollout paused; a maintenance plan refused).
    case pausedOrRefused = 2
    /// Failed: a rollout step, a node command, a service update.
    case failed = 3
    /// Rolled back: the change was undone (by the rollout, or Swarm's failure action).
    case rolledBack = 4
    /// Degraded: `status` or a check found components down or findings.
    case degraded = 5
    /// Usage: the arguments were wrong (ArgumentParser's own code, EX_USAGE).
    case usage = 64

    /// The ArgumentParser exit code to throw.
    public var code: ExitCode { ExitCode(rawValue) }

    /// What the code means, as the README's table says it.
    public var meaning: String {
        switch self {
        case .success: return "success"
        case .error: return "error: bad configuration, a server refused, a component unreachable when it was needed"
        case .pausedOrRefused: return "paused, or refused with nothing changed"
        case .failed: return "failed: a rollout step, a node command, a service update"
        case .rolledBack: return "rolled back"
        case .degraded: return "degraded: status or a check found components down or findings"
        case .usage: return "usage: bad arguments (ArgumentParser)"
        }
    }
}
