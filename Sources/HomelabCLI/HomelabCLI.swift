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
        exit(await HomelabCommand.runFromCommandLine(arguments: arguments))
    }
}
