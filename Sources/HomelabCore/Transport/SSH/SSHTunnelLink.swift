import CLibSSH

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One accepted local connection and the channel carrying it (exec or direct-tcpip). Queue-only, like the channel.
///
/// Bytes are pumped both ways without blocking: local reads stop at ``highWater`` bytes not yet sent on,
/// channel writes never exceed the server's window, and channel reads stop while the local side lags behind.
/// Half-close is passed on: local end-of-file becomes an SSH EOF, remote EOF becomes `shutdown(SHUT_WR)`.
final class SSHTunnelLink {
    /// Most bytes buffered per direction before reading from that side pauses.
    static let highWater = 1 << 20
    /// Most bytes handed to one `ssh_channel_write` (it flushes before returning).
    static let writeSlice = 128 * 1024
    /// How much of the command's stderr is kept for error messages.
    static let stderrKept = 2048

    let id: Int
    let socket: Int32
    let channel: SSHChannel
    /// What the channel carries.
    let target: SSHTunnel.Target
    /// Read locally, not yet written to the channel.
    private var toRemote = ByteQueue()
    /// Read from the channel, not yet written locally.
    private var toLocal = ByteQueue()
    /// The local side ended its output (read gave end-of-file).
    private(set) var localEnded = false
    /// EOF was sent on the channel (or the channel was already gone).
    private(set) var sentEOF = false
    /// The command's stdout ended.
    private(set) var remoteEnded = false
    /// The local writing side was shut down after the remote EOF.
    private(set) var shutWrite = false
    /// The local peer went away while we were writing to it.
    private(set) var localGone = false
    /// Why the link had to stop early, if it did.
    private(set) var failure: String?
    /// Bytes carried each way.
    private(set) var bytesToRemote = 0
    private(set) var bytesFromRemote = 0
    /// The end of what the command wrote to stderr.
    private(set) var stderrTail: [UInt8] = []
    /// When the link finished before the server said how the command ended; it then lingers briefly for that.
    private(set) var lingeringSince: ContinuousClock.Instant?
    private var scratch = [UInt8](repeating: 0, count: 64 * 1024)
    private var isClosed = false
    private var localClosed = false

    init(id: Int, socket: Int32, channel: SSHChannel, target: SSHTunnel.Target) {
        self.id = id
        self.socket = socket
        self.channel = channel
        self.target = target
    }

    deinit { close() }

    /// Moves whatever can move now, in both directions.
    func service() {
        guard failure == nil, !isClosed, !localClosed else { return }
        readLocal()
        writeRemote()
        readRemote()
        writeLocal()
    }

    /// Whether the link has nothing more to do: both directions ended, the peer or command is gone, or it failed.
    var isFinished: Bool {
        if failure != nil || localGone { return true }
        guard shutWrite else { return false }
        return sentEOF || channel.events.closedByServer || ssh_channel_is_closed(channel.raw) != 0
    }

    /// What to wait for on the local socket (descriptor -1 when nothing).
    var pollRequest: pollfd {
        if localClosed { return pollfd(fd: -1, events: 0, revents: 0) }
        var events: Int32 = 0
        if !localEnded, toRemote.count < Self.highWater { events |= Int32(POLLIN) }
        if !toLocal.isEmpty { events |= Int32(POLLOUT) }
        return pollfd(fd: events == 0 ? -1 : socket, events: Int16(events), revents: 0)
    }

    /// Whether another ``service()`` would move bytes without waiting for any descriptor
    /// (libssh may have buffered channel data while a blocking call ran for another channel).
    var canMoveNow: Bool {
        if isFinished { return lingeringSince == nil }
        let open = ssh_channel_is_open(channel.raw) != 0
        if !sentEOF, !toRemote.isEmpty, open, ssh_channel_window_size(channel.raw) > 0 { return true }
        if localEnded, toRemote.isEmpty, !sentEOF { return true }
        if !remoteEnded, toLocal.count < Self.highWater, ssh_channel_poll(channel.raw, 0) != 0 { return true }
        return remoteEnded && toLocal.isEmpty && !shutWrite
    }

    /// Whether the command ended having written nothing to stdout while saying something on stderr or failing.
    var endedWithoutOutput: Bool {
        guard remoteEnded || channel.events.isSettled, bytesFromRemote == 0 else { return false }
        return !stderrTail.isEmpty || (channel.events.exitStatus ?? 0) != 0 || channel.events.exitSignal != nil
    }

    /// Whether the link ended without a byte of output before the server reported the command's exit status.
    /// SSH sends the channel's EOF, the exit status and the close in separate messages, so a link can finish
    /// between them; the status and the end of stderr are what an error about the command must say.
    var awaitsExitReport: Bool {
        guard bytesFromRemote == 0, !channel.events.isSettled, !isClosed else { return false }
        return ssh_channel_is_closed(channel.raw) == 0 && ssh_is_connected(ssh_channel_get_session(channel.raw)) != 0
    }

    /// Closes the local connection (its client gets its end now) and keeps the channel to hear how the
    /// command ended; ``serviceLingering()`` reads what still arrives.
    func startLingering(at now: ContinuousClock.Instant) {
        guard lingeringSince == nil else { return }
        lingeringSince = now
        localClosed = true
        _ = closeDescriptor(socket)
    }

    /// Reads what the channel still brings while lingering: stderr is kept, stdout has nowhere to go.
    func serviceLingering() {
        guard !isClosed else { return }
        let raw = channel.raw
        while !remoteEnded {
            let n = scratch.withUnsafeMutableBytes { ssh_channel_read_nonblocking(raw, $0.baseAddress, UInt32($0.count), 0) }
            if n == SSH_EOF { remoteEnded = true }
            guard n > 0 else { break }
            bytesFromRemote += Int(n)
        }
        readStderr()
    }

    /// Stops the link at once: `reason` says why (for the log).
    func fail(_ reason: String) {
        if failure == nil { failure = reason }
    }

    /// Closes the local socket and the channel; safe to call more than once.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        if !localClosed { _ = closeDescriptor(socket) }
        localClosed = true
        channel.close()
    }

    // MARK: The four moves.

    private func readLocal() {
        while !localEnded, toRemote.count < Self.highWater {
            let room = Self.highWater - toRemote.count
            let outcome = scratch.withUnsafeMutableBytes { LocalSocket.read(socket, into: $0, count: room) }
            switch outcome {
            case .moved(let n): scratch.withUnsafeBytes { toRemote.append(UnsafeRawBufferPointer(rebasing: $0[0..<n])) }
            case .wouldBlock: return
            case .ended: localEnded = true
            case .failed(let code): return fail("reading the local connection failed: errno \(code)")
            }
        }
    }

    private func writeRemote() {
        let raw = channel.raw
        if !sentEOF, !toRemote.isEmpty {
            guard ssh_channel_is_open(raw) != 0 else {
                // The command is gone: what the local side still sends has nowhere to go.
                toRemote.removeAll()
                sentEOF = true
                return
            }
            let count = min(Int(ssh_channel_window_size(raw)), toRemote.count, Self.writeSlice)
            if count > 0 {
                let written = toRemote.withFront(count) { ssh_channel_write(raw, $0.baseAddress, UInt32($0.count)) }
                guard written >= 0 else {
                    // The channel no longer takes input (closed by the server); unless the whole connection
                    // failed, what the command already wrote can still be delivered.
                    toRemote.removeAll()
                    sentEOF = true
                    if ssh_is_connected(ssh_channel_get_session(raw)) == 0 { fail("the SSH connection failed") }
                    return
                }
                toRemote.removeFirst(Int(written))
                bytesToRemote += Int(written)
            }
        }
        if localEnded, toRemote.isEmpty, !sentEOF {
            sentEOF = true
            if ssh_channel_is_open(raw) != 0, ssh_channel_send_eof(raw) != SSH_OK,
                ssh_is_connected(ssh_channel_get_session(raw)) == 0
            {
                fail("the SSH connection failed")
            }
        }
    }

    private func readRemote() {
        let raw = channel.raw
        while !remoteEnded, toLocal.count < Self.highWater {
            let room = UInt32(min(scratch.count, Self.highWater - toLocal.count))
            let n = scratch.withUnsafeMutableBytes { ssh_channel_read_nonblocking(raw, $0.baseAddress, room, 0) }
            if n > 0 {
                scratch.withUnsafeBytes { toLocal.append(UnsafeRawBufferPointer(rebasing: $0[0..<Int(n)])) }
                bytesFromRemote += Int(n)
                continue
            }
            if n == SSH_EOF {
                remoteEnded = true
            } else if n < 0 {
                fail("reading from the SSH channel failed")
            }
            break
        }
        readStderr()
    }

    private func readStderr() {
        let raw = channel.raw
        while true {
            let n = scratch.withUnsafeMutableBytes { ssh_channel_read_nonblocking(raw, $0.baseAddress, UInt32($0.count), 1) }
            guard n > 0 else { break }
            stderrTail.append(contentsOf: scratch[0..<Int(n)])
            if stderrTail.count > Self.stderrKept { stderrTail.removeFirst(stderrTail.count - Self.stderrKept) }
        }
    }

    private func writeLocal() {
        while !toLocal.isEmpty, !localGone {
            switch toLocal.withFront(toLocal.count, { LocalSocket.write(socket, $0) }) {
            case .moved(let n): toLocal.removeFirst(n)
            case .wouldBlock: return
            case .ended:
                localGone = true
                toLocal.removeAll()
            case .failed(let code): return fail("writing to the local connection failed: errno \(code)")
            }
        }
        if remoteEnded, toLocal.isEmpty, !shutWrite {
            shutWrite = true
            LocalSocket.shutdownWrite(socket)
        }
    }
}

private func closeDescriptor(_ fd: Int32) -> Int32 { close(fd) }

/// A FIFO of bytes that drops from the front without moving the rest each time.
struct ByteQueue {
    private var storage: [UInt8] = []
    private var head = 0

    /// Bytes queued.
    var count: Int { storage.count - head }
    /// Whether nothing is queued.
    var isEmpty: Bool { count == 0 }

    mutating func append(_ bytes: UnsafeRawBufferPointer) {
        storage.append(contentsOf: bytes)
    }

    /// Drops the first `n` bytes.
    mutating func removeFirst(_ n: Int) {
        head += min(n, count)
        if head == storage.count {
            storage.removeAll(keepingCapacity: true)
            head = 0
        } else if head >= 64 * 1024, head * 2 >= storage.count {
            storage.removeFirst(head)
            head = 0
        }
    }

    mutating func removeAll() {
        storage.removeAll(keepingCapacity: false)
        head = 0
    }

    /// Calls `body` with up to `limit` bytes from the front.
    func withFront<R>(_ limit: Int, _ body: (UnsafeRawBufferPointer) -> R) -> R {
        storage.withUnsafeBytes { all in
            body(UnsafeRawBufferPointer(rebasing: all[head..<(head + min(limit, count))]))
        }
    }
}
