#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// A listening unix socket in a private (0700) directory of its own, plus the non-blocking socket calls the
/// tunnel pump uses on the connections it accepts.
///
/// Only the directory's owner can reach the socket: the directory's mode is the access control.
struct UnixSocketListener: Sendable {
    /// The private directory holding the socket.
    let directory: String
    /// The socket's path.
    let path: String
    /// The listening descriptor (non-blocking, close-on-exec).
    let descriptor: Int32

    /// Creates `directory` with mode 0700 (it must not exist yet), then binds and listens on `directory/name`.
    /// - Throws: ``HomelabError/Code/invalidConfiguration`` when the directory exists or the path is too long for
    ///   a unix socket; ``HomelabError/Code/internalFailure`` when a system call fails.
    static func open(directory: String, name: String, backlog: Int32 = 128) throws -> UnixSocketListener {
        let path = directory + "/" + name
        let capacity = MemoryLayout.size(ofValue: sockaddr_un().sun_path)
        guard path.utf8.count < capacity else {
            throw HomelabError(
                .invalidConfiguration,
                "unix socket path \(path) is longer than \(capacity - 1) bytes; choose a shorter socket directory",
                component: "ssh")
        }
        guard mkdir(directory, 0o700) == 0 else {
            throw failure("could not create the private socket directory \(directory)", errno)
        }
        // mkdir honours the umask, which may only remove bits; make the mode exact.
        chmod(directory, 0o700)
        let fd = socket(AF_UNIX, streamSocketType, 0)
        guard fd >= 0 else {
            let code = errno
            rmdir(directory)
            throw failure("could not create a unix socket", code)
        }
        do {
            try LocalSocket.configure(fd)
            var address = sockaddr_un()
            address.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &address.sun_path) { bytes in
                for (i, byte) in path.utf8.enumerated() { bytes[i] = byte }
                bytes[path.utf8.count] = 0
            }
            let bound = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
                }
            }
            guard bound == 0 else { throw failure("could not bind the unix socket \(path)", errno) }
            guard listen(fd, backlog) == 0 else { throw failure("could not listen on the unix socket \(path)", errno) }
        } catch {
            close(fd)
            unlink(path)
            rmdir(directory)
            throw error
        }
        return UnixSocketListener(directory: directory, path: path, descriptor: fd)
    }

    /// Takes one waiting connection, or returns nil when none waits. The new descriptor is non-blocking.
    func accept() -> Int32? {
        while true {
            #if canImport(Glibc)
                let fd = Glibc.accept(descriptor, nil, nil)
            #else
                let fd = Darwin.accept(descriptor, nil, nil)
            #endif
            if fd >= 0 {
                do {
                    try LocalSocket.configure(fd)
                    return fd
                } catch {
                    close(fd)
                    continue
                }
            }
            if errno == EINTR || errno == ECONNABORTED { continue }
            return nil
        }
    }

    /// Closes the listening socket and removes the socket file and the directory.
    func remove() {
        close(descriptor)
        unlink(path)
        rmdir(directory)
    }

    private static func failure(_ message: String, _ code: Int32) -> HomelabError {
        HomelabError(.internalFailure, message + ": " + String(cString: strerror(code)), component: "ssh")
    }
}

#if canImport(Glibc)
    private let streamSocketType = Int32(SOCK_STREAM.rawValue)
#else
    private let streamSocketType = SOCK_STREAM
#endif

/// Non-blocking reads and writes on local stream sockets that never raise SIGPIPE.
enum LocalSocket {
    /// What a non-blocking read or write did.
    enum Outcome: Equatable {
        /// This many bytes moved (never 0).
        case moved(Int)
        /// Nothing can move now; wait for the descriptor.
        case wouldBlock
        /// The peer ended its side (read) or is gone (write).
        case ended
        /// Another error (errno).
        case failed(Int32)
    }

    /// Makes `fd` non-blocking and close-on-exec (and, on Darwin, free of SIGPIPE).
    static func configure(_ fd: Int32) throws {
        let flags = fcntl(fd, F_GETFL)
        guard flags >= 0, fcntl(fd, F_SETFL, flags | O_NONBLOCK) == 0, fcntl(fd, F_SETFD, FD_CLOEXEC) == 0 else {
            throw HomelabError(.internalFailure, "could not make a local socket non-blocking", component: "ssh")
        }
        #if canImport(Darwin)
            var on: Int32 = 1
            setsockopt(fd, SOL_SOCKET, SO_NOSIGPIPE, &on, socklen_t(MemoryLayout<Int32>.size))
        #endif
    }

    /// Reads up to `count` bytes into `buffer`.
    static func read(_ fd: Int32, into buffer: UnsafeMutableRawBufferPointer, count: Int) -> Outcome {
        while true {
            let n = recv(fd, buffer.baseAddress, min(count, buffer.count), 0)
            if n > 0 { return .moved(n) }
            if n == 0 { return .ended }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case ECONNRESET: return .ended
            case let code: return .failed(code)
            }
        }
    }

    /// Writes as much of `bytes` as the socket takes now.
    static func write(_ fd: Int32, _ bytes: UnsafeRawBufferPointer) -> Outcome {
        while true {
            let n = send(fd, bytes.baseAddress, bytes.count, noSignal)
            if n > 0 { return .moved(n) }
            if n == 0 { return .wouldBlock }
            switch errno {
            case EINTR: continue
            case EAGAIN, EWOULDBLOCK: return .wouldBlock
            case EPIPE, ECONNRESET: return .ended
            case let code: return .failed(code)
            }
        }
    }

    /// Ends the writing side: the peer reads end-of-file once it has read everything before.
    static func shutdownWrite(_ fd: Int32) {
        #if canImport(Glibc)
            _ = Glibc.shutdown(fd, Int32(SHUT_WR))
        #else
            _ = Darwin.shutdown(fd, SHUT_WR)
        #endif
    }

    #if canImport(Glibc)
        private static let noSignal = Int32(MSG_NOSIGNAL)
    #else
        private static let noSignal: Int32 = 0
    #endif
}

/// A pipe whose read end wakes a `poll()` from another thread. Both ends are non-blocking.
final class WakePipe: Sendable {
    /// Poll this for `POLLIN`.
    let readEnd: Int32
    private let writeEnd: Int32

    /// - Throws: ``HomelabError/Code/internalFailure`` when no pipe can be made.
    init() throws {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else {
            throw HomelabError(.internalFailure, "could not create a wake-up pipe", component: "ssh")
        }
        for fd in ends {
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
        }
        readEnd = ends[0]
        writeEnd = ends[1]
    }

    deinit {
        close(readEnd)
        close(writeEnd)
    }

    /// Makes the read end readable; safe from any thread.
    func wake() {
        var byte: UInt8 = 1
        _ = write(writeEnd, &byte, 1)
    }

    /// Empties the read end.
    func drain() {
        var scratch = [UInt8](repeating: 0, count: 64)
        while scratch.withUnsafeMutableBytes({ read(readEnd, $0.baseAddress, $0.count) }) > 0 {}
    }
}
