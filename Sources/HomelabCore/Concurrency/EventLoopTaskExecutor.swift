import NIOCore

/// A task executor that runs its tasks' jobs on one NIO event loop.
///
/// Work that a channel handler starts as a task (the WebSocket TLS handshake's certificate check) would otherwise
/// wait for a thread of the global concurrent pool. When that pool is busy, as it is while a program runs hundreds of
/// tasks on 2 cores, the handshake stalls until the connect timeout ends it. A task that prefers this executor runs
/// on the loop that is waiting for its answer.
final class EventLoopTaskExecutor: TaskExecutor {
    let eventLoop: any EventLoop

    init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        eventLoop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
