import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes files the way a secret must be written: all or nothing, readable by the owner only.
public enum AtomicFile {
    /// Writes `bytes` to `path` atomically: a temporary file in the same folder (created with mode `mode`),
    /// written whole, `fsync`ed, renamed over `path`, and the folder `fsync`ed. A reader sees the old file or the
    /// new one, never part of it; on any failure the temporary file is removed and `path` is left as it was.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the folder does not exist or cannot be written, or the
    ///   write fails (the message names the path and the system's reason, never the content).
    public static func write(_ bytes: [UInt8], to path: String, mode: mode_t = 0o600) throws {
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        let name = url.lastPathComponent
        guard !name.isEmpty, name != "/" else { throw failure(path, "is not a file path") }
        var template = Array("\(folder)/.\(name).tmp-XXXXXX".utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { buffer -> Int32 in
            guard let base = buffer.baseAddress else { return -1 }
            return mkstemp(base)
        }
        guard descriptor >= 0 else { throw failure(path, "cannot create a temporary file in \(folder): \(errnoText())") }
        let temporary = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        var keep = false
        defer {
            if !keep { unlink(temporary) }
        }
        do {
            defer { close(descriptor) }
            guard fchmod(descriptor, mode) == 0 else { throw failure(path, "cannot set the file's mode: \(errnoText())") }
            var written = 0
            while written < bytes.count {
                let count = bytes.withUnsafeBytes { buffer -> Int in
                    guard let base = buffer.baseAddress else { return 0 }
                    return systemWrite(descriptor, base + written, bytes.count - written)
                }
                if count < 0 {
                    if errno == EINTR { continue }
                    throw failure(path, "cannot write: \(errnoText())")
                }
                written += count
            }
            guard fsync(descriptor) == 0 else { throw failure(path, "cannot flush to disk: \(errnoText())") }
        }
        guard rename(temporary, path) == 0 else { throw failure(path, "cannot replace the file: \(errnoText())") }
        keep = true
        let folderDescriptor = open(folder, O_RDONLY | O_DIRECTORY)
        if folderDescriptor >= 0 {
            _ = fsync(folderDescriptor)
            close(folderDescriptor)
        }
    }

    private static func systemWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
        #if canImport(Glibc)
        return Glibc.write(descriptor, buffer, count)
        #elseif canImport(Musl)
        return Musl.write(descriptor, buffer, count)
        #else
        return Darwin.write(descriptor, buffer, count)
        #endif
    }

    private static func errnoText() -> String { String(cString: strerror(errno)) }

    private static func failure(_ path: String, _ message: String) -> HomelabError {
        HomelabError(.invalidArgument, "\(Redaction.redactText(path)) \(message)", component: "secrets")
    }
}
