import ArgumentParser
import Foundation
import HomelabCore

/// `homelab swarm`: the swarm's services, tasks, logs, secrets, configs and networks, in the docker CLI's words.
struct SwarmCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "swarm",
        abstract: "Services, tasks, logs, scaling, updates and rollbacks, secrets, configs and networks of the swarm.",
        subcommands: [
            Services.self, Tasks.self, Logs.self, Inspect.self, Scale.self, Update.self, Rollback.self,
            Secrets.self, Configs.self, Networks.self,
        ])

    /// The swarm service a SERVICE argument names: `stack/service` or an inventory service's own name (when only one
    /// service has it) become `stack_service`; anything else (a swarm name, an ID) is passed on as it is.
    static func serviceName(_ argument: String, homelab: Homelab) -> String {
        if let slash = argument.firstIndex(of: "/") {
            let stack = argument[..<slash]
            let name = argument[argument.index(after: slash)...]
            return "\(stack)_\(name)"
        }
        let named = homelab.services.filter { $0.name == argument }
        if named.count == 1, !homelab.services.contains(where: { $0.swarmName == argument }) { return named[0].swarmName }
        return argument
    }

    /// The inventory's tier of each swarm service name.
    static func tiers(_ homelab: Homelab) -> [String: String] {
        Dictionary(homelab.services.map { ($0.swarmName, $0.tier) }, uniquingKeysWith: { first, _ in first })
    }

    /// A service by name or ID, or a `.notFound` error saying so in the homelab's words.
    static func service(_ argument: String, context: HomelabContext) async throws -> Swarm.Service {
        let name = serviceName(argument, homelab: context.homelab)
        do {
            return try await context.swarm.services.inspect(name, logger: context.logger)
        } catch let error as HomelabError where error.code == .notFound {
            throw HomelabError(
                .notFound, "the swarm has no service \(name)\(name == argument ? "" : " (\(argument))")",
                component: "docker", request: error.request, status: error.status)
        }
    }
}

/// Times and images as the swarm commands show them.
enum SwarmText {
    /// A Docker timestamp as a `Date`; `nil` for none or Go's zero time.
    static func date(_ text: String?) -> Date? {
        guard let text, let date = Swarm.Timestamp.date(from: text), date.timeIntervalSince1970 > 0 else { return nil }
        return date
    }

    /// The image without its `@sha256:` digest, as `docker service ls` prints it.
    static func shortImage(_ image: String) -> String {
        guard let at = image.firstIndex(of: "@") else { return image }
        return String(image[..<at])
    }

    /// `replicated`, `global`, `replicated-job`, `global-job`.
    static func mode(_ mode: Swarm.ServiceMode?) -> String {
        switch mode {
        case .replicated?, nil: return "replicated"
        case .global?: return "global"
        case .replicatedJob?: return "replicated-job"
        case .globalJob?: return "global-job"
        case .unknown?: return "unknown"
        }
    }

    /// `--since`: `30s`, `10m`, `2h`, `3d` ago, an RFC 3339 time, or Unix seconds.
    static func since(_ text: String, now: Date) -> Date? {
        if let date = Swarm.Timestamp.date(from: text) { return date }
        if let seconds = Double(text) { return Date(timeIntervalSince1970: seconds) }
        guard let unit = text.last, let count = Double(text.dropLast()), count >= 0 else { return nil }
        let scale: Double
        switch unit {
        case "s": scale = 1
        case "m": scale = 60
        case "h": scale = 3600
        case "d": scale = 86_400
        default: return nil
        }
        return now.addingTimeInterval(-count * scale)
    }
}
