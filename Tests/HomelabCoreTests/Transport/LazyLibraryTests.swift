import CLazyLibrary
import Foundation
import HomelabCore
import Testing

/// libcurl and libssh are opened on first use (CLazyLibrary), not at exec: what a missing library or symbol says,
/// and that the transport still reaches libcurl through the trampolines.
@Suite("libraries opened on first use")
struct LazyLibraryTests {
    private func check(_ file: String, _ symbol: String) -> (Int32, String) {
        var buffer = [CChar](repeating: 0, count: 512)
        let result = hl_lazy_library_check(file, symbol, &buffer, buffer.count)
        let error = buffer.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
        return (result, error)
    }

    @Test("a library that is present loads and resolves its symbol")
    func present() {
        let (result, error) = check("libc.so.6", "strlen")
        #expect(result == 0)
        #expect(error.isEmpty)
    }

    @Test("a missing library fails with the loader's reason, naming the file")
    func missingLibrary() {
        let (result, error) = check("libhomelab-no-such-library.so.9", "anything")
        #expect(result == -1)
        #expect(error.contains("libhomelab-no-such-library.so.9"))
        #expect(error.contains("No such file") || error.contains("cannot open"))
    }

    @Test("a library without one of the symbols fails, naming the symbol")
    func missingSymbol() {
        let (result, error) = check("libc.so.6", "homelab_no_such_symbol")
        #expect(result == -1)
        #expect(error.contains("libc.so.6 has no symbol homelab_no_such_symbol"))
    }

    @Test("the transport reaches libcurl through the trampolines (version line), and preloading is harmless")
    func curlLoads() throws {
        CurlTransport.preloadLibrary()
        CurlTransport.preloadLibrary()
        _ = try CurlTransport()
        #expect(CurlTransport.libraryVersion.hasPrefix("libcurl/"))
    }
}
