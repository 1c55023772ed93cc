import Foundation
import HomelabCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command writes, and what it may assume about the screen: whether standard output is a terminal, its
/// width, whether colour and symbols are wanted, the environment and the clock.
///
/// Commands never read these from the process directly: they use ``active``, which is the real terminal unless a
/// caller (a test, the REPL) runs the command inside `Terminal.$current.withValue(...)`.
public struct Terminal: Sendable {
    /// Whether standard output is a terminal (a person is reading).
    public var isInteractive: Bool
    /// Columns a table may use; `nil` when unknown (output piped, no `$COLUMNS`): tables are then never cut.
    public var width: Int?
    /// The environment commands read (`$HOMELAB_CONFIG`, `$XDG_CONFIG_HOME`, `NO_COLOR`, credentials).
    public var environment: [String: String]
    /// The current time, for relative times in tables.
    public var now: @Sendable () -> Date
    private let writeOutput: @Sendable (String) -> Void
    private let writeError: @Sendable (String) -> Void

    /// A terminal writing through `output` and `error`.
    public init(
        isInteractive: Bool, width: Int?, environment: [String: String], now: @escaping @Sendable () -> Date = { Date() },
        output: @escaping @Sendable (String) -> Void, error: @escaping @Sendable (String) -> Void
    ) {
        self.isInteractive = isInteractive
        self.width = width
        self.environment = environment
        self.now = now
        self.writeOutput = output
        self.writeError = error
    }

    /// Set by a caller that captures or redirects output; `nil` means the process's own terminal.
    @TaskLocal public static var current: Terminal?

    /// The terminal in force: ``current``, else the process's standard output and error, read afresh.
    public static var active: Terminal { current ?? standard() }

    /// Colour and symbols: only on a terminal, never with `NO_COLOR` (any non-empty value) or `TERM=dumb`.
    public var usesColour: Bool {
        isInteractive && (environment["NO_COLOR"] ?? "").isEmpty && environment["TERM"] != "dumb"
    }

    /// Writes `text` and a newline to standard output, any registered secret value masked.
    public func print(_ text: String) { writeOutput(Redaction.maskRegisteredSecrets(text) + "\n") }

    /// Writes `text` and a newline to standard error, any registered secret value masked.
    public func printError(_ text: String) { writeError(Redaction.maskRegisteredSecrets(text) + "\n") }

    /// Writes a secret's value to standard output, unmasked and without a newline added: only for what the user
    /// explicitly asked to see or write out (`homelab secrets get --reveal`, `secrets inject` to standard output).
    public func printRevealed(_ secret: Secret) { writeOutput(secret.reveal()) }

    /// The process's terminal: standard output and error, `$COLUMNS` or the window size.
    public static func standard() -> Terminal {
        let environment = ProcessInfo.processInfo.environment
        let interactive = isatty(STDOUT_FILENO) == 1
        var width = environment["COLUMNS"].flatMap(Int.init).flatMap { $0 > 0 ? $0 : nil }
        if width == nil, interactive {
            var size = winsize()
            if ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &size) == 0, size.ws_col > 0 { width = Int(size.ws_col) }
        }
        return Terminal(
            isInteractive: interactive, width: width, environment: environment,
            output: { text in Swift.print(text, terminator: "") },
            error: { text in
                fflush(nil)  // what standard output holds comes first
                FileHandle.standardError.write(Data(text.utf8))
            })
    }

    /// A terminal whose output is kept in memory (tests; the REPL's `watch`).
    /// - Parameters:
    ///   - interactive: whether to behave as on a terminal (colour unless `NO_COLOR`/`TERM=dumb`).
    ///   - width: the columns tables must fit, or `nil` for none.
    public static func capturing(
        interactive: Bool = false, width: Int? = nil, environment: [String: String] = [:],
        now: @escaping @Sendable () -> Date = { Date() }
    ) -> (Terminal, CapturedOutput) {
        let captured = CapturedOutput()
        let terminal = Terminal(
            isInteractive: interactive, width: width, environment: environment, now: now,
            output: { captured.append(output: $0) }, error: { captured.append(error: $0) })
        return (terminal, captured)
    }
}

/// What a capturing ``Terminal`` was given: standard output and standard error, each in order.
public final class CapturedOutput: Sendable {
    private let text = Locked<(output: String, error: String)>(("", ""))

    /// Everything written to standard output.
    public var output: String { text.withLock { $0.output } }
    /// Everything written to standard error.
    public var error: String { text.withLock { $0.error } }

    func append(output: String) { text.withLock { $0.output += output } }
    func append(error: String) { text.withLock { $0.error += error } }
}
