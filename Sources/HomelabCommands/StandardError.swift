/// Lines for standard error: warnings and failures that must not mix with a command's output.
enum StandardError {
    /// Writes `text` and a newline to the active terminal's standard error.
    static func print(_ text: String) {
        Terminal.active.printError(text)
    }
}
