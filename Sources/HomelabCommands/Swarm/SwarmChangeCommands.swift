import ArgumentParser
import Foundation
import HomelabCore

extension SwarmCommand {
    struct Scale: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "scale",
            abstract: "Set the replicas of replicated services: SERVICE=N ... (returns once the swarm accepted it).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "SERVICE=N, one or more.") var scales: [String]

        func validate() throws {
            for scale in scales {
                guard let equals = scale.lastIndex(of: "="), !scale[..<equals].isEmpty,
                    let count = Int(scale[scale.index(after: equals)...]), count >= 0
                else { throw ValidationError("expected SERVICE=N with N 0 or more, got \(scale)") }
            }
        }

        /// One scaled service in `-o json`.
        struct Scaled: Encodable {
            var name: String
            var replicas_before: Int
            var replicas: Int
        }

        func run() async throws {
            try await HomelabContext.with(config) { context in
                var done: [Scaled] = []
                for scale in scales {
                    guard let equals = scale.lastIndex(of: "="), let count = Int(scale[scale.index(after: equals)...]) else { continue }
                    let found = try await SwarmCommand.service(String(scale[..<equals]), context: context)
                    let name = found.spec?.name ?? String(scale[..<equals])
                    guard case .replicated(let before)? = found.spec?.mode else {
                        throw HomelabError(
                            .invalidArgument, "\(name) is \(SwarmText.mode(found.spec?.mode)), only replicated services scale",
                            component: "docker")
                    }
                    _ = try await context.swarm.services.modify(found.id ?? name, logger: context.logger) { spec in
                        spec.mode = .replicated(replicas: UInt64(count))
                    }
                    done.append(Scaled(name: name, replicas_before: Int(before ?? 0), replicas: count))
                }
                try output.list(
                    done,
                    table: Table<Scaled>([
                        .init("SERVICE") { .text($0.name) }, .init("BEFORE") { .text("\($0.replicas_before)") },
                        .init("REPLICAS") { .text("\($0.replicas)") },
                    ]), id: \.name)
            }
        }
    }

    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "update",
            abstract: "Roll a service to a new image; follow it to the end unless --detach.",
            discussion: """
                Without --detach, prints the tasks on the new spec as they change and exits with the outcome: 0 \
                completed, 2 paused, 3 failed (a rollback paused, or --timeout passed), 4 rolled back.
                """)
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The service: stack_service, stack/service, its inventory name, or an ID.", completion: LiveNames.services)
        var service: String
        @Option(name: .long, help: "The new image (repository:tag, or a tag for the same repository).") var image: String
        @Flag(name: [.short, .long], help: "Return once the swarm accepted the update (exit 0), without following it.")
        var detach = false
        @Option(name: .long, help: "Seconds to follow the update before giving up (exit 3).") var timeout: Double = 600

        func validate() throws {
            guard !image.isEmpty else { throw ValidationError("--image must not be empty") }
            guard timeout > 0 else { throw ValidationError("--timeout must be positive") }
        }

        func run() async throws {
            let outcome = try await HomelabContext.with(config) { context -> SwarmUpdateOutcome in
                let found = try await SwarmCommand.service(service, context: context)
                let name = found.spec?.name ?? service
                let before = found.spec?.taskTemplate?.containerSpec?.image ?? ""
                let target = SwarmUpdateFollower.image(image, replacing: before)
                _ = try await context.swarm.services.modify(found.id ?? name, logger: context.logger) { spec in
                    spec.taskTemplate?.containerSpec?.image = target
                }
                output.line("updating \(name): \(SwarmText.shortImage(before)) -> \(target)")
                if detach { return SwarmUpdateOutcome(service: name, image: target, outcome: "accepted", message: nil) }
                return try await SwarmUpdateFollower(context: context, output: output, timeout: timeout).follow(name, image: target)
            }
            try output.show(outcome, ids: [outcome.service]) { _ in outcome.line }
            let status = outcome.exitStatus
            if status != .success { throw status.code }
        }
    }

    struct Rollback: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "rollback",
            abstract: "Roll a service back to its previous spec; follow it to the end unless --detach.",
            discussion: "Exit 4 (rolled back) when the rollback completed, 3 when it paused or timed out.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Argument(help: "The service: stack_service, stack/service, its inventory name, or an ID.", completion: LiveNames.services)
        var service: String
        @Flag(name: [.short, .long], help: "Return once the swarm accepted the rollback (exit 0), without following it.")
        var detach = false
        @Option(name: .long, help: "Seconds to follow the rollback before giving up (exit 3).") var timeout: Double = 600

        func run() async throws {
            let outcome = try await HomelabContext.with(config) { context -> SwarmUpdateOutcome in
                let found = try await SwarmCommand.service(service, context: context)
                let name = found.spec?.name ?? service
                guard found.previousSpec != nil else {
                    throw HomelabError(.conflict, "\(name) has no previous spec to roll back to", component: "docker")
                }
                _ = try await context.swarm.services.rollback(found.id ?? name, logger: context.logger)
                let previous = found.previousSpec?.taskTemplate?.containerSpec?.image ?? ""
                output.line("rolling back \(name) to \(SwarmText.shortImage(previous))")
                if detach { return SwarmUpdateOutcome(service: name, image: previous, outcome: "accepted", message: nil) }
                return try await SwarmUpdateFollower(context: context, output: output, timeout: timeout).follow(name, image: previous)
            }
            try output.show(outcome, ids: [outcome.service]) { _ in outcome.line }
            let status = outcome.exitStatus
            if status != .success { throw status.code }
        }
    }
}
