import CLibSSH

/// How a channel ended, as the server reported it. Filled in by libssh callbacks on the session's queue.
final class SSHChannelEvents {
    /// The `exit-status` the server sent.
    var exitStatus: Int32?
    /// The `exit-signal` the server sent (`TERM`, `KILL`, ...).
    var exitSignal: String?
    /// Whether the server closed the channel (no exit status can follow).
    var closedByServer = false

    /// Whether nothing more about the command's end can arrive.
    var isSettled: Bool { exitStatus != nil || exitSignal != nil || closedByServer }
}

// File scope and non-capturing: these become C function pointers. `userdata` is the channel's events object.
private let onExitStatus: ssh_channel_exit_status_callback = { _, _, status, userdata in
    guard let userdata else { return }
    Unmanaged<SSHChannelEvents>.fromOpaque(userdata).takeUnretainedValue().exitStatus = status
}
private let onExitSignal: ssh_channel_exit_signal_callback = { _, _, signal, _, _, _, userdata in
    guard let userdata else { return }
    Unmanaged<SSHChannelEvents>.fromOpaque(userdata).takeUnretainedValue().exitSignal =
        signal.map { String(cString: $0) } ?? "unknown"
}
private let onClose: ssh_channel_close_callback = { _, _, userdata in
    guard let userdata else { return }
    Unmanaged<SSHChannelEvents>.fromOpaque(userdata).takeUnretainedValue().closedByServer = true
}

/// One open libssh channel. Lives only inside ``LibSSHHandle/withChannel(timeout:_:)``, on the session's queue.
///
/// Its calls never wait longer than asked: output is read with `ssh_channel_poll_timeout` slices and
/// non-blocking reads, and input is written only as far as the server's window allows.
final class SSHChannel {
    let raw: OpaquePointer
    /// What the server reported about the end of the command.
    let events = SSHChannelEvents()
    private let handle: LibSSHHandle
    private let callbacks: UnsafeMutablePointer<ssh_channel_callbacks_struct>
    private var scratch = [UInt8](repeating: 0, count: 32 * 1024)
    private var isClosed = false

    private init(raw: OpaquePointer, handle: LibSSHHandle) {
        self.raw = raw
        self.handle = handle
        callbacks = .allocate(capacity: 1)
        callbacks.initialize(to: ssh_channel_callbacks_struct())
        callbacks.pointee.size = MemoryLayout<ssh_channel_callbacks_struct>.size
        callbacks.pointee.userdata = Unmanaged.passUnretained(events).toOpaque()
        callbacks.pointee.channel_exit_status_function = onExitStatus
        callbacks.pointee.channel_exit_signal_function = onExitSignal
        callbacks.pointee.channel_close_function = onClose
        ssh_set_channel_callbacks(raw, callbacks)
    }

    deinit { close() }

    /// Opens a `session` channel (the kind `exec` runs on).
    /// - Throws: ``HomelabError/Code/connectionFailed`` when the server refuses it or the connection is gone.
    static func openSession(on session: OpaquePointer, handle: LibSSHHandle) throws -> SSHChannel {
        guard let raw = ssh_channel_new(session) else {
            throw HomelabError(
                .connectionFailed, "libssh could not create a channel to \(handle.configuration.target)",
                component: "ssh", serverMessage: handle.errorText())
        }
        let channel = SSHChannel(raw: raw, handle: handle)
        guard ssh_channel_open_session(raw) == SSH_OK else {
            let text = handle.errorText()
            channel.close()
            throw HomelabError(
                .connectionFailed, "\(handle.configuration.target) did not open a session channel",
                component: "ssh", serverMessage: text)
        }
        return channel
    }

    /// Opens a `direct-tcpip` channel: the server connects to `host:port` (as it resolves and reaches them) and
    /// the channel carries that connection's bytes (`ssh -L`).
    /// - Throws: ``HomelabError/Code/connectionFailed`` when the server refuses the forward (forwarding disabled,
    ///   the target refusing the connection) or the connection is gone.
    static func openForward(on session: OpaquePointer, handle: LibSSHHandle, host: String, port: Int) throws -> SSHChannel {
        guard let raw = ssh_channel_new(session) else {
            throw HomelabError(
                .connectionFailed, "libssh could not create a channel to \(handle.configuration.target)",
                component: "ssh", serverMessage: handle.errorText())
        }
        let channel = SSHChannel(raw: raw, handle: handle)
        guard ssh_channel_open_forward(raw, host, Int32(clamping: port), "127.0.0.1", 0) == SSH_OK else {
            let text = handle.errorText()
            channel.close()
            throw HomelabError(
                .connectionFailed,
                "\(handle.configuration.target) did not forward to \(host):\(port) (is TCP forwarding allowed, and does "
                    + "the target accept connections from that node?)",
                component: "ssh", request: HomelabError.Request(method: "ssh direct-tcpip", redactedPath: "\(host):\(port)"),
                serverMessage: text)
        }
        return channel
    }

    /// Starts `command` on the channel.
    func exec(_ command: String, request: HomelabError.Request) throws {
        guard ssh_channel_request_exec(raw, command) == SSH_OK else {
            throw failure("the server did not start the command", request: request)
        }
    }

    /// Waits up to `milliseconds` for standard output or the end of output; returns whether output ended.
    func waitForOutput(milliseconds: Int, request: HomelabError.Request) throws -> Bool {
        let rc = ssh_channel_poll_timeout(raw, Int32(clamping: milliseconds), 0)
        if rc == SSH_ERROR { throw failure("the connection failed while reading output", request: request) }
        return rc == SSH_EOF
    }

    /// Appends whatever output of one stream is already buffered, without waiting.
    func drain(stderr: Bool, into buffer: inout [UInt8], request: HomelabError.Request) throws {
        while true {
            let n = scratch.withUnsafeMutableBytes { bytes in
                ssh_channel_read_nonblocking(raw, bytes.baseAddress, UInt32(bytes.count), stderr ? 1 : 0)
            }
            if n > 0 {
                buffer.append(contentsOf: scratch[0..<Int(n)])
            } else if n == 0 || n == SSH_EOF {
                return
            } else {
                throw failure("the connection failed while reading output", request: request)
            }
        }
    }

    /// Writes as much of `input[offset...]` as the server's window takes now, advancing `offset`.
    func write(_ input: [UInt8], offset: inout Int, request: HomelabError.Request) throws {
        let window = Int(ssh_channel_window_size(raw))
        let count = min(window, input.count - offset, scratch.count)
        guard count > 0 else { return }
        let written = input.withUnsafeBytes { bytes in
            ssh_channel_write(raw, bytes.baseAddress.map { $0 + offset }, UInt32(count))
        }
        guard written >= 0 else { throw failure("the connection failed while sending input", request: request) }
        offset += Int(written)
    }

    /// Tells the command its input has ended.
    func sendEOF(request: HomelabError.Request) throws {
        guard ssh_channel_send_eof(raw) == SSH_OK else {
            throw failure("the connection failed while closing the command's input", request: request)
        }
    }

    /// Waits up to the session timeout for the exit status, exit signal or close (whichever comes).
    func waitForEnd(request: HomelabError.Request) throws {
        let status = ssh_channel_get_exit_status(raw)
        if status >= 0, events.exitStatus == nil { events.exitStatus = status }
        if status < 0, !events.isSettled, ssh_is_connected(ssh_channel_get_session(raw)) == 0 {
            throw failure("the connection was lost before the command's exit status arrived", request: request)
        }
    }

    /// Asks the server to deliver `name` (`TERM`, `KILL`) to the command. Best effort: servers may ignore it.
    func signal(_ name: String) {
        guard !isClosed, ssh_channel_is_open(raw) != 0 else { return }
        _ = ssh_channel_request_send_signal(raw, name)
    }

    /// Closes and frees the channel; safe to call more than once.
    func close() {
        guard !isClosed else { return }
        isClosed = true
        ssh_remove_channel_callbacks(raw, callbacks)
        if ssh_channel_is_open(raw) != 0 { _ = ssh_channel_close(raw) }
        ssh_channel_free(raw)
        callbacks.deinitialize(count: 1)
        callbacks.deallocate()
    }

    private func failure(_ message: String, request: HomelabError.Request) -> HomelabError {
        HomelabError(
            .connectionFailed, "\(message) (\(handle.configuration.target))", component: "ssh", request: request,
            serverMessage: handle.errorText())
    }
}
