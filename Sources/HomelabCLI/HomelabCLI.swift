import ArgumentParser
import HomelabCommands

/// `homelab`: the command-line frontend. All commands live in HomelabCommands.
@main
struct HomelabCLI {
    static func main() async {
        await HomelabCommand.main()
    }
}
