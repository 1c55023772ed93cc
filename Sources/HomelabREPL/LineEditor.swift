import HomelabCore
import CLibEdit
import Dispatch
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Where the REPL's lines come from: libedit on a terminal, standard input line by line otherwise.
protocol LineSource: Sendable {
    /// The next line without its newline, or `nil` at the end (Ctrl-D, end of the script).
    func next(prompt: String) async -> String?
    /// Remembers a line for recall (Up arrow); a script source ignores it.
    func remember(_ line: String)
}

/// Lines typed at a terminal through libedit's readline interface: emacs keys, history recall, Tab completion.
/// libedit is not thread-safe; every call into it runs on one serial queue (a thread outside Swift's cooperative
/// pool, so a waiting prompt never holds a worker the background refresh needs).
final class LineEditor: LineSource {
    private let queue = DispatchQueue(label: "homelab.repl.line-editor")

    /// Sets libedit up: no signal handling of its own (the REPL's Ctrl-C handler stays in charge), words broken
    /// at blanks, quotes and `=`, `complete` answering Tab, and `history` (oldest first) for recall.
    /// - Parameter timings: a file each completion appends its duration to (microseconds, one per line), for
    ///   `Benchmarks/REPLCompletion`; `nil` normally.
    init(history: [String], timings: String? = nil, complete: @escaping @Sendable (String) -> Completion.Answer) {
        completionHook.withLock { $0 = complete }
        completionTimings.withLock { $0 = timings }
        queue.sync {
            clibedit_set_catch_signals(0)
            clibedit_set_readline_name()
            _ = rl_initialize()
            clibedit_set_word_breaks()
            clibedit_set_attempted_completion(attemptCompletion)
            stifle_history(Int32(REPLHistory.limit))
            for line in history { _ = add_history(line) }
        }
    }

    func next(prompt: String) async -> String? {
        await withCheckedContinuation { continuation in
            queue.async {
                guard let raw = readline(prompt) else { return continuation.resume(returning: nil) }
                let line = String(cString: raw)
                free(raw)
                continuation.resume(returning: line)
            }
        }
    }

    func remember(_ line: String) {
        queue.async { _ = add_history(line) }
    }
}

/// What answers Tab; set once by the ``LineEditor``.
private let completionHook = Locked<(@Sendable (String) -> Completion.Answer)?>(nil)

/// Where completion durations go, when measured.
private let completionTimings = Locked<String?>(nil)

/// libedit's completion callback, timed when asked to.
private func attemptCompletion(
    _ text: UnsafePointer<CChar>?, _ start: Int32, _ end: Int32
) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let timings = completionTimings.withLock({ $0 }) else { return matches(text, end) }
    let started = ContinuousClock.now
    let result = matches(text, end)
    let elapsed = ContinuousClock.now - started
    let microseconds = elapsed.components.seconds * 1_000_000 + elapsed.components.attoseconds / 1_000_000_000_000
    let fd = open(timings, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o600)
    if fd >= 0 {
        let line = Array("\(microseconds)\n".utf8)
        _ = line.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        close(fd)
    }
    return result
}

/// The REPL's candidates for the word at the cursor, in libedit's shape (the common prefix first, then every
/// match, then NULL; malloc'd, libedit frees them).
private func matches(_ text: UnsafePointer<CChar>?, _ end: Int32) -> UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? {
    guard let buffer = clibedit_line_buffer(), let complete = completionHook.withLock({ $0 }) else { return nil }
    let bytes = UnsafeBufferPointer(start: UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self), count: strlen(buffer))
    let line = String(decoding: bytes.prefix(Int(max(0, end))), as: UTF8.self)
    let typed = text.map { String(cString: $0) } ?? ""
    let answer = complete(line)
    clibedit_set_attempted_completion_over(answer.filesAllowed ? 0 : 1)
    clibedit_set_completion_append_character(answer.appendBlank ? 32 : 0)
    guard !answer.candidates.isEmpty else { return nil }
    // libedit replaces only its own word (`typed`), which can be shorter than the REPL's (after `=`).
    let partial = Completion.split(line).partial
    let replacements = answer.candidates.map { typed + $0.dropFirst(min(partial.count, $0.count)) }
    // libedit's own shape even for one match (it reads matches[2]): the common prefix, the matches, NULL.
    let entries = [commonPrefix(replacements)] + replacements
    let size = MemoryLayout<UnsafeMutablePointer<CChar>?>.stride * (entries.count + 1)
    guard let memory = malloc(size) else { return nil }
    let array = memory.bindMemory(to: UnsafeMutablePointer<CChar>?.self, capacity: entries.count + 1)
    for (index, entry) in entries.enumerated() { array[index] = strdup(entry) }
    array[entries.count] = nil
    return array
}

/// The longest prefix every one of `words` shares.
func commonPrefix(_ words: [String]) -> String {
    guard var prefix = words.first else { return "" }
    for word in words.dropFirst() {
        while !word.hasPrefix(prefix) { prefix.removeLast() }
    }
    return prefix
}

/// The lines of a script on standard input (not a terminal), one at a time, read off the cooperative pool.
final class ScriptLines: LineSource {
    private let queue = DispatchQueue(label: "homelab.repl.script")

    func next(prompt: String) async -> String? {
        await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: readLine(strippingNewline: true)) }
        }
    }

    func remember(_ line: String) {}
}
