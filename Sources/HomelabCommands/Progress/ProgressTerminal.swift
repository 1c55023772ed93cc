#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where live progress is drawn, and whether it can be: a terminal that understands cursor movement.
public struct ProgressTerminal: Sendable {
    /// Writes text as it is (no newline added) and flushes it.
    public let write: @Sendable (String) -> Void
    /// The terminal's width in characters now.
    public let width: @Sendable () -> Int

    /// A terminal writing with `write` and `width` characters wide (tests pass a buffer).
    public init(write: @escaping @Sendable (String) -> Void, width: @escaping @Sendable () -> Int) {
        self.write = write
        self.width = width
    }

    /// Standard output, when it is a terminal that can redraw lines: a TTY, and `TERM` set and not `dumb`.
    /// `HOMELAB_PROGRESS=plain` forces line events, `HOMELAB_PROGRESS=live` forces redrawing (both for scripts and
    /// tests). `nil` means line events.
    public static func standardOutput(environment: [String: String]) -> ProgressTerminal? {
        switch environment["HOMELAB_PROGRESS"] {
        case "plain": return nil
        case "live": break
        default:
            guard isatty(STDOUT_FILENO) == 1, let term = environment["TERM"], !term.isEmpty, term != "dumb" else { return nil }
        }
        let columns = Int(environment["COLUMNS"] ?? "")
        return ProgressTerminal(
            write: { text in
                // Through print, so that the command's own lines keep their order; fflush(nil) flushes stdout too.
                print(text, terminator: "")
                fflush(nil)
            },
            width: { windowWidth() ?? columns ?? 80 })
    }

    /// The width of the terminal on standard output, when it has one.
    static func windowWidth() -> Int? {
        var size = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 else { return nil }
        return Int(size.ws_col)
    }
}
