import Dispatch
import Synchronization
import Testing

/// Runs the tests it marks off Swift's cooperative pool, one at a time, on a thread of their own.
///
/// The cooperative pool has as many threads as cores: two here. A synchronous, CPU-bound test (a brute-force
/// search, a fuzz loop) holds one of them until it ends, and two at once stall every simulation, HTTP exchange and
/// deadline of the whole run for as long as they compute (29 s seen, when every other test's deadline was 3-15 s).
/// Marked tests run on a serial queue of their own instead: the kernel shares the cores fairly between it and the
/// pool, and they never queue behind each other's pool threads.
///
/// ```swift
/// @Suite("Branch and bound against brute force", .cpuBound)
/// ```
public struct CPUBoundTrait: TestTrait, SuiteTrait, TestScoping {
    public var isRecursive: Bool { true }

    public func provideScope(
        for test: Test, testCase: Test.Case?, performing function: @Sendable () async throws -> Void
    ) async throws {
        guard testCase != nil else { return try await function() }
        try await withTaskExecutorPreference(CPUBoundExecutor.shared) { try await function() }
    }
}

extension Trait where Self == CPUBoundTrait {
    /// Runs the test (every test of the suite) off the cooperative pool, one at a time: see ``CPUBoundTrait``.
    public static var cpuBound: Self { CPUBoundTrait() }
}

/// A task executor on one serial dispatch queue (an overcommitting thread, not one of the cooperative pool's).
public final class CPUBoundExecutor: TaskExecutor {
    /// The one queue every CPU-bound test shares.
    public static let shared = CPUBoundExecutor()

    private let queue = DispatchQueue(label: "homelab.tests.cpu-bound")

    public func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        queue.async { job.runSynchronously(on: executor) }
    }
}

/// A thread that keeps one core busy until stopped (for tests about behaviour under load). Unlike a spinning
/// `Task`, it takes no thread from the cooperative pool.
public final class BusyCore: Sendable {
    private let stopped = Atomic<Bool>(false)
    private let done = DispatchSemaphore(value: 0)

    /// Starts spinning.
    public init() {
        DispatchQueue(label: "homelab.tests.busy-core").async { [self] in
            var x = 0.0
            while !stopped.load(ordering: .relaxed) {
                for i in 0..<10_000 { x += Double(i).squareRoot() }
            }
            if x < 0 { print(x) }
            done.signal()
        }
    }

    /// Stops spinning and waits for the thread to notice.
    public func stop() {
        guard !stopped.exchange(true, ordering: .relaxed) else { return }
        done.wait()
    }
}
