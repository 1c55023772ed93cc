import Foundation

/// Lines for standard error: warnings and failures that must not mix with a command's output.
enum StandardError {
    /// Writes `text` and a newline to standard error.
    static func print(_ text: String) {
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }
}
