import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Who drives a journaled run (a rollout, a node's provisioning): `host:pid`. A claim by another live process is
/// refused, naming it; a dead owner's claim is taken over (the run resumes after a crash).
public enum JournalOwner {
    /// This process: `host:pid`.
    public static var current: String { "\(ProcessInfo.processInfo.hostName):\(getpid())" }

    /// Whether `host:pid` names a live process (processes on other hosts count as alive: they cannot be checked).
    public static let isAlive: @Sendable (String) -> Bool = { owner in
        let parts = owner.split(separator: ":")
        guard parts.count == 2, let pid = Int32(parts[1]) else { return false }
        guard String(parts[0]) == ProcessInfo.processInfo.hostName else { return true }
        return kill(pid, 0) == 0 || errno == EPERM
    }
}
