#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A value guarded by a `pthread_mutex_t`: `Synchronization.Mutex`'s shape (`withLock`, `withLockIfAvailable`),
/// for the same uses (small state shared between threads and tasks, never held across an `await`).
///
/// Why not `Mutex`: on Linux its lock is a futex driven from the uninstrumented standard library, so ThreadSanitizer
/// cannot see it order anything and reports every access it guards as a race (a counter incremented by four threads
/// under `Mutex` ends exact and still gives a report; the same under `pthread_mutex_lock` gives none). With a lock
/// the sanitizer intercepts, `scripts/sanitize.sh thread` reports only what is really unordered.
public final class Locked<Value: ~Copyable>: @unchecked Sendable {
    private let mutex: UnsafeMutablePointer<pthread_mutex_t>
    private var value: Value

    public init(_ initialValue: consuming sending Value) {
        // pthread_mutex_init fills the (trivial) C struct; no Swift initialiser is needed, and `pthread_mutex_t()` is
        // not visible in release builds under MemberImportVisibility (it lives in CoreFoundation's overlay there).
        mutex = .allocate(capacity: 1)
        let status = pthread_mutex_init(mutex, nil)
        precondition(status == 0, "pthread_mutex_init failed: \(status)")
        value = initialValue
    }

    deinit {
        pthread_mutex_destroy(mutex)
        mutex.deinitialize(count: 1)
        mutex.deallocate()
    }

    /// Runs `body` with exclusive access to the value. Not reentrant: calling `withLock` again from `body` deadlocks.
    public func withLock<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result {
        pthread_mutex_lock(mutex)
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }

    /// Runs `body` only if the lock is free right now; `nil` otherwise.
    public func withLockIfAvailable<Result: ~Copyable, E: Error>(
        _ body: (inout sending Value) throws(E) -> sending Result
    ) throws(E) -> sending Result? {
        guard pthread_mutex_trylock(mutex) == 0 else { return nil }
        defer { pthread_mutex_unlock(mutex) }
        return try body(&value)
    }
}
