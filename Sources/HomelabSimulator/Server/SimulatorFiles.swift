import Foundation
import HomelabCore

/// Writes the simulator's throwaway files (certificates, tokens, the written inventory) into its private directory.
///
/// Plain `open`/`write`/`close`, without the `fsync` that Foundation's `createFile` and `.atomic` writes do: these files
/// live only as long as the run, and an `fsync` on a busy disk blocks one of the two threads of Swift's cooperative
/// pool for up to seconds, which starved every other simulation in a whole-suite run.
enum SimulatorFiles {
    /// Writes `data` to `path` with `permissions`: into a temporary file beside it, then renamed over it, so a reader
    /// polling for the file (a test waiting for `--write-config`) never sees it half written.
    /// - Throws: ``HomelabError/Code/internalFailure`` naming the file (redacted) when it cannot be written.
    static func write(_ data: some Collection<UInt8>, to path: String, permissions: Int = 0o644) throws {
        let temporary = path + ".partial-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        do {
            try writeFile(data, to: temporary, permissions: permissions)
        } catch {
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let failed = failure(path)
            unlink(temporary)
            throw failed
        }
    }

    private static func writeFile(_ data: some Collection<UInt8>, to path: String, permissions: Int) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode_t(permissions))
        guard descriptor >= 0 else { throw failure(path) }
        defer { close(descriptor) }
        _ = fchmod(descriptor, mode_t(permissions))
        let bytes = Array(data)
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { Foundation.write(descriptor, $0.baseAddress, $0.count) }
            if written < 0, errno == EINTR { continue }
            guard written > 0 else { throw failure(path) }
            offset += written
        }
    }

    /// Writes `text` as UTF-8.
    static func write(_ text: String, to path: String, permissions: Int = 0o644) throws {
        try write(Array(text.utf8), to: path, permissions: permissions)
    }

    private static func failure(_ path: String) -> HomelabError {
        HomelabError(
            .internalFailure, "cannot write the simulation's file \(Redaction.redactText(path)): \(String(cString: strerror(errno)))",
            component: "simulator")
    }
}
