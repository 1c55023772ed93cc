/// The bytes libFuzzer hands a target, with the few readings every target needs.
public struct FuzzInput: Sendable {
    /// The input's bytes.
    public let bytes: [UInt8]

    /// Copies `count` bytes at `start` (libFuzzer may pass a null pointer with a zero count).
    public init(_ start: UnsafeRawPointer?, _ count: Int) {
        if let start, count > 0 {
            bytes = Array(UnsafeRawBufferPointer(start: start, count: count))
        } else {
            bytes = []
        }
    }

    /// The whole input as text (invalid UTF-8 repaired, as our loaders see files).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// The first byte as a selector among `count` choices and the rest of the input; (0, everything) when empty.
    public func selector(among count: Int) -> (choice: Int, rest: [UInt8]) {
        guard let first = bytes.first, count > 0 else { return (0, bytes) }
        return (Int(first) % count, Array(bytes.dropFirst()))
    }
}

/// libFuzzer's entry point for a program with its own `main` (compiler-rt's FuzzerInterface.h).
@_silgen_name("LLVMFuzzerRunDriver")
private func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt

/// Runs libFuzzer with the program's arguments over `callback`. SwiftPM links an executable's `main` to
/// `<module>_main`, so each target defines that symbol and calls this instead of relying on libFuzzer's `main`.
public func runFuzzer(
    _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>,
    _ callback: @convention(c) (UnsafeRawPointer?, Int) -> CInt
) -> CInt {
    var count = argc
    var arguments = argv
    return LLVMFuzzerRunDriver(&count, &arguments, callback)
}
