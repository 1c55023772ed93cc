import HomelabCommands

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `homelab`: the command-line frontend. All commands live in HomelabCommands.
@main
struct HomelabCLI {
    static func main() async {
        let arguments = Array(CommandLine.arguments.dropFirst())
        HomelabCommand.bootstrapLogging()
        let status = await HomelabCommand.runFromCommandLine(arguments: arguments)
        // Standard output flushed, then out without the C library's exit handlers: those are the cleanups that
        // libcurl's TLS libraries register (OpenSSL's, and the destructors of the thirty-odd libraries loaded with
        // libcurl), a few tenths of a millisecond that free nothing the kernel does not free at exit anyway.
        fflush(nil)
        _exit(status)
    }
}
