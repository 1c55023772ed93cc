import CCurl
import Foundation
import Synchronization

/// The one thread that owns libcurl's multi handle.
///
/// Tasks hand transfers over through a locked inbox; the thread adds them, runs
/// `curl_multi_perform`/`curl_multi_poll`, and completes each transfer's continuation when
/// `curl_multi_info_read` reports it done. Cancellation removes the easy handle on this thread.
/// Connections live in the multi handle's cache, so every client sharing the driver reuses them.
///
/// The hand-off is the cost of a request that a single-threaded curl does not pay, so it is kept small. A thread
/// that has just completed its last transfer in flight stays awake for a moment
/// (``CurlTransport/Configuration/linger``) looking for the next command, which a caller sending requests one after
/// the other submits within microseconds. A submitter calls `curl_multi_wakeup` (a write to the multi handle's
/// wake-up socket) only when the thread is, or is about to be, asleep in `curl_multi_poll`.
///
/// The driver is also a task executor (``CurlTransport/executor``): a task that prefers it runs its jobs on this
/// thread between two turns of the loop, so a caller sending requests one after the other submits each on the
/// thread that performs it and is resumed there, with no hand-off between threads at all.
final class CurlMultiDriver: @unchecked Sendable {
    private enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case unpause(CurlTransfer)
        /// A job of a task that prefers this executor.
        case run(UnownedJob)
    }

    private struct Inbox {
        var commands: [Command] = []
        var stopping = false
    }

    // Owned by the driver thread (created before it starts, cleaned up when it exits).
    private let multi: UnsafeMutableRawPointer
    private var active: [UnsafeMutableRawPointer: CurlTransfer] = [:]
    private var cancelledBeforeStart: Set<ObjectIdentifier> = []
    private var idleHandles: [UnsafeMutableRawPointer] = []
    private let inbox = Locked(Inbox())
    /// Commands queued since the driver last took the inbox (read without the lock, to linger and to sleep).
    private let pending = Atomic<Int>(0)
    /// Whether the driver thread is in, or about to enter, `curl_multi_poll`.
    private let sleeping = Atomic<Bool>(false)
    /// How long the thread looks for a next command after completing transfers before it sleeps.
    private let linger: Duration
    private let stopped = Locked(false)
    private let exited = DispatchSemaphore(value: 0)
    /// The driver thread, once it runs (to tell a shutdown from a job on it, which must not wait for itself).
    private let thread = Locked<pthread_t?>(nil)

    init(maxConnectionsPerHost: Int, maxCachedConnections: Int, linger: Duration = .zero) throws {
        try CurlGlobal.initialize()
        self.linger = linger
        guard let multi = curl_multi_init() else {
            throw HomelabError(.internalFailure, "curl_multi_init failed")
        }
        self.multi = multi
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAX_HOST_CONNECTIONS, maxConnectionsPerHost)
        // libcurl's default cache is 4 x the handles currently added, so idle keep-alive connections
        // were closed as soon as a burst ended; a fixed size keeps them for the next requests.
        _ = ccurl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maxCachedConnections)
        let thread = Thread { [self] in self.run() }
        thread.name = "homelab-curl"
        thread.start()
    }

    /// Queues a transfer; the driver thread adds it to the multi handle.
    func submit(_ transfer: CurlTransfer) {
        enqueue(.add(transfer))
    }

    /// Asks the driver thread to abort a transfer (before or after it started).
    func cancel(_ transfer: CurlTransfer) {
        enqueue(.cancel(transfer))
    }

    /// Asks the driver thread to resume a transfer its stream consumer paused (a no-op once it finished).
    func unpause(_ transfer: CurlTransfer) {
        enqueue(.unpause(transfer))
    }

    private func enqueue(_ command: Command) {
        let accepted = inbox.withLock { inbox -> Bool in
            guard !inbox.stopping else { return false }
            inbox.commands.append(command)
            return true
        }
        if accepted {
            // With `sleeping` (set before the driver's last look at `pending`): one side sees the other, so a
            // command is never left waiting for the poll's timeout.
            pending.add(1, ordering: .sequentiallyConsistent)
            if sleeping.load(ordering: .sequentiallyConsistent) { curl_multi_wakeup(multi) }
        } else {
            switch command {
            case .add(let transfer):
                transfer.finish(
                    error: HomelabError(.cancelled, "the HTTP transport was shut down", request: transfer.request.redactedSummary))
            case .run(let job):
                // The thread is gone or going: the job still has to run, so a global thread runs it.
                DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
            case .cancel, .unpause:
                break
            }
        }
    }

    /// Whether the caller runs on the driver thread (a job of a task that prefers this executor).
    var onDriverThread: Bool {
        guard let driver = thread.withLock({ $0 }) else { return false }
        return pthread_equal(driver, pthread_self()) != 0
    }

    /// Stops the thread after failing every transfer still in flight. Idempotent.
    func shutdown() {
        let first = stopped.withLock { s -> Bool in
            defer { s = true }
            return !s
        }
        guard first else { return }
        inbox.withLock { $0.stopping = true }
        // A job on the driver thread (the transport released or shut down by a task that prefers it) cannot wait
        // for that thread: the loop stops once the job returns.
        guard !onDriverThread else { return }
        curl_multi_wakeup(multi)
        exited.wait()
    }

    // MARK: - Driver thread

    private func run() {
        thread.withLock { $0 = pthread_self() }
        var running: Int32 = 0
        while true {
            let (commands, stopping) = inbox.withLock { inbox -> ([Command], Bool) in
                defer { inbox.commands.removeAll(keepingCapacity: true) }
                pending.store(0, ordering: .sequentiallyConsistent)
                return (inbox.commands, inbox.stopping)
            }
            for command in commands {
                switch command {
                case .add(let transfer): start(transfer)
                case .cancel(let transfer): abort(transfer)
                case .unpause(let transfer):
                    // libcurl may deliver the held-back chunk from inside this call, on this thread.
                    if let handle = transfer.easy, active[handle] === transfer { _ = curl_easy_pause(handle, 0) }
                case .run(let job):
                    job.runSynchronously(on: asUnownedTaskExecutor())
                }
            }
            if stopping { break }
            curl_multi_perform(multi, &running)
            // Only with nothing else in flight: transfers still running are served by the poll, not held up.
            if drainCompleted() > 0, active.isEmpty { lingerForCommands() }
            sleeping.store(true, ordering: .sequentiallyConsistent)
            if pending.load(ordering: .sequentiallyConsistent) == 0 {
                curl_multi_poll(multi, nil, 0, 1000, nil)
            }
            sleeping.store(false, ordering: .sequentiallyConsistent)
        }
        for transfer in Array(active.values) {
            remove(transfer)
            transfer.finish(error: HomelabError(.cancelled, "the HTTP transport was shut down", request: transfer.request.redactedSummary))
        }
        for handle in idleHandles { curl_easy_cleanup(handle) }
        idleHandles.removeAll()
        curl_multi_cleanup(multi)
        exited.signal()
    }

    private func start(_ transfer: CurlTransfer) {
        if cancelledBeforeStart.remove(ObjectIdentifier(transfer)) != nil {
            transfer.finish(error: HomelabError(.cancelled, "request cancelled", request: transfer.request.redactedSummary))
            return
        }
        let handle = idleHandles.popLast() ?? curl_easy_init()
        guard let handle else {
            transfer.finish(error: HomelabError(.internalFailure, "curl_easy_init failed", request: transfer.request.redactedSummary))
            return
        }
        transfer.easy = handle
        transfer.driver = self
        do {
            try CurlRequestSetup.configure(handle, for: transfer)
        } catch let error as HomelabError {
            recycle(handle, of: transfer)
            transfer.finish(error: error)
            return
        } catch {
            recycle(handle, of: transfer)
            transfer.finish(error: HomelabError(.internalFailure, "could not configure the request", underlying: error))
            return
        }
        let code = curl_multi_add_handle(multi, handle)
        guard code == CURLM_OK else {
            recycle(handle, of: transfer)
            transfer.finish(error: HomelabError(.internalFailure, "curl_multi_add_handle failed (\(code.rawValue))", request: transfer.request.redactedSummary))
            return
        }
        active[handle] = transfer
    }

    private func abort(_ transfer: CurlTransfer) {
        guard let handle = transfer.easy, active[handle] === transfer else {
            if !transfer.finished { cancelledBeforeStart.insert(ObjectIdentifier(transfer)) }
            return
        }
        remove(transfer)
        transfer.finish(error: HomelabError(.cancelled, "request cancelled", request: transfer.request.redactedSummary))
    }

    /// Stays awake up to `linger` after completing transfers, yielding the core, until a command arrives: a
    /// caller that sends its next request right away then needs no wake-up of this thread.
    private func lingerForCommands() {
        guard linger > .zero else { return }
        let deadline = ContinuousClock.now + linger
        while pending.load(ordering: .relaxed) == 0, ContinuousClock.now < deadline {
            sched_yield()
        }
    }

    /// Completes the finished transfers; returns how many.
    private func drainCompleted() -> Int {
        var completed = 0
        var remaining: Int32 = 0
        while let message = curl_multi_info_read(multi, &remaining) {
            guard message.pointee.msg == CURLMSG_DONE, let handle = message.pointee.easy_handle,
                let transfer = active[handle]
            else { continue }
            let result = ccurl_msg_result(message)
            let error = result == CURLE_OK ? nil : CurlErrors.error(for: result, transfer: transfer)
            remove(transfer)
            transfer.finish(error: error)
            completed += 1
        }
        return completed
    }

    private func remove(_ transfer: CurlTransfer) {
        guard let handle = transfer.easy else { return }
        curl_multi_remove_handle(multi, handle)
        active[handle] = nil
        recycle(handle, of: transfer)
    }

    private func recycle(_ handle: UnsafeMutableRawPointer, of transfer: CurlTransfer) {
        if let list = transfer.headerList { curl_slist_free_all(list) }
        transfer.headerList = nil
        transfer.easy = nil
        curl_easy_reset(handle)
        if idleHandles.count < 64 { idleHandles.append(handle) } else { curl_easy_cleanup(handle) }
    }
}

extension CurlMultiDriver: TaskExecutor {
    /// Runs `job` on the driver thread at the loop's next turn (waking the thread if it sleeps).
    func enqueue(_ job: consuming ExecutorJob) {
        enqueue(.run(UnownedJob(job)))
    }
}

/// libcurl, opened on first use (CCurl's trampolines), then `curl_global_init`, once, before any other thread uses it.
enum CurlGlobal {
    private static let initialized: Result<Void, HomelabError> = {
        guard ccurl_load() == 0 else {
            let reason = String(cString: ccurl_load_error())
            return .failure(
                HomelabError(
                    .internalFailure, "libcurl could not be loaded (\(reason)); install libcurl4 (apt-get install libcurl4)",
                    component: "http"))
        }
        guard curl_global_init(ccurl_global_all()) == CURLE_OK else {
            return .failure(HomelabError(.internalFailure, "curl_global_init failed", component: "http"))
        }
        return .success(())
    }()

    /// Loads and initialises libcurl unless done already.
    /// - Throws: ``HomelabError/Code/internalFailure`` naming the loader's reason when libcurl cannot be opened.
    static func initialize() throws { try initialized.get() }

    /// Starts opening libcurl on a background thread (see ``CurlTransport/preloadLibrary()``).
    static func preload() { ccurl_preload() }

    /// libcurl's version line, e.g. `libcurl/7.88.1 OpenSSL/3.0.19 ...`.
    static var versionString: String {
        do {
            try initialize()
        } catch {
            return "libcurl unavailable: \(error)"
        }
        return curl_version().map { String(cString: $0) } ?? "libcurl"
    }
}
