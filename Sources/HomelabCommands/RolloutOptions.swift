import ArgumentParser
import Foundation
import HomelabCore

/// What to roll out, and how (the arguments `rollout plan` and `rollout apply` share).
struct RolloutOptions: ParsableArguments {
    @Option(name: .long, help: "A compose stack file, [STACK=]FILE; the services it changes are rolled out (repeatable).")
    var stack: [String] = []
    @Option(name: .long, help: "SERVICE=IMAGE or SERVICE=TAG to deploy (repeatable).")
    var image: [String] = []
    @Option(name: .long, help: "Restart SERVICE (repeatable).", completion: LiveNames.inventoryServices)
    var restart: [String] = []
    @Flag(name: .long, help: "Restart every service of the inventory.")
    var restartAll = false
    @Option(name: .long, help: "Services updating at once.")
    var budget = 1
    @Option(name: .long, help: "Services updating at once on any one node.")
    var nodeBudget: Int?
    @Option(name: .long, help: "continue-independent or pause-all.")
    var onFailure: String = RolloutRequest.OnFailure.continueIndependent.rawValue
    @Flag(name: .long, help: "Roll a failed service back.")
    var rollback = false
    @Flag(name: .long, help: "After a failure, roll back every service this run already updated, newest first (with --rollback, the failed one too).")
    var rollbackAll = false
    @Flag(name: .long, help: "After convergence, require each service's inventory health_url to answer 2xx.")
    var healthCheck = false
    @Option(name: .long, help: "Seconds to wait for each service to converge (default: from its UpdateConfig).")
    var timeout: Double?
    @Option(name: .long, help: "Maintain NODE in the rollout: drain, run --command over SSH, wait until Ready, activate (repeatable).", completion: LiveNames.nodes)
    var maintain: [String] = []
    @OptionGroup var maintenance: NodeMaintenanceArguments

    /// The node-maintenance options of `--maintain`, or `nil` without it.
    /// - Throws: `ValidationError` for `--maintain` without `--command`, or node options without `--maintain`.
    func maintenanceOptions() throws -> NodeMaintenanceOptions? {
        guard !maintain.isEmpty else {
            if maintenance.isGiven {
                throw ValidationError("--command, --reboot, --confirm-stateful and --allow-quorum-loss go with --maintain NODE")
            }
            return nil
        }
        return try maintenance.options()
    }

    /// A `--stack [STACK=]FILE` argument.
    struct StackFile: Hashable {
        var name: String
        var path: String
    }

    /// File names that say nothing about their stack: the stack is then named after the folder.
    static let genericStackFileNames: Set<String> = ["docker-compose", "compose", "stack", "docker-stack"]

    /// The stack files named, each with its stack: `STACK=FILE` as given, else the file name without its
    /// extension (`media.yml` is stack `media`), or the folder's name for `docker-compose.yml` and the like.
    func stackFiles() throws -> [StackFile] {
        try stack.map { argument in
            if let equals = argument.firstIndex(of: "="), !argument[..<equals].contains("/") {
                let name = String(argument[..<equals])
                let path = String(argument[argument.index(after: equals)...])
                guard !name.isEmpty, !path.isEmpty else { throw ValidationError("--stack \(argument): expected STACK=FILE or FILE") }
                return StackFile(name: name, path: path)
            }
            let url = URL(fileURLWithPath: argument)
            var name = url.deletingPathExtension().lastPathComponent
            if Self.genericStackFileNames.contains(name.lowercased()) {
                name = url.standardizedFileURL.deletingLastPathComponent().lastPathComponent
            }
            return StackFile(name: name, path: argument)
        }
    }

    /// Reads and converts the stack files (`${VAR}` from `environment`, as `docker stack deploy` does); each
    /// compose warning goes to `warn`.
    /// - Throws: the loader's located errors; ``HomelabError/Code/invalidArgument`` for a bad stack name.
    func composeStacks(environment: [String: String], warn: (String) -> Void) throws -> [ComposeStack] {
        try stackFiles().map { file in
            let compose = try ComposeLoader.load(path: file.path, environment: environment)
            for warning in compose.warnings { warn("warning: \(warning)") }
            return try ComposeConverter.convert(compose, stack: file.name)
        }
    }

    /// The request for `homelab`'s services (Swarm names `<stack>_<service>`; tiers and depends_on as
    /// dependencies), plus the services `stacks` changes (their new specs, and the files' own dependencies).
    /// - Throws: `ValidationError` for an unknown service, a bad policy, a service changed twice, or nothing to do.
    func request(for homelab: Homelab, stacks: StackChanges? = nil, nodes: NodeMaintenancePlan? = nil) throws -> RolloutRequest {
        guard let policy = RolloutRequest.OnFailure(rawValue: onFailure) else {
            throw ValidationError("--on-failure must be continue-independent or pause-all, got \(onFailure)")
        }
        let services = homelab.services
        var changes: [String: RolloutChange] = [:]
        for service in stacks?.changed ?? [] { changes[service.name] = .spec(service.desired) }
        for bump in try ImageBump.parseAll(image) {
            guard let service = services.first(where: { bump.names(service: $0.name, stack: $0.stack) || bump.service == $0.swarmName })
            else { throw ValidationError("--image \(bump): no service \(bump.service) in the inventory") }
            guard changes[service.swarmName] == nil else {
                throw ValidationError("--image \(bump): \(service.swarmName) is already changed by a --stack file; edit its image there")
            }
            let image: String
            switch bump.target {
            case .image(let reference): image = reference.description
            case .tag:
                guard let current = service.image else {
                    throw ValidationError("--image \(bump): the inventory names no image for \(service.name); give IMAGE:TAG")
                }
                image = try bump.image(replacing: current)
            }
            changes[service.swarmName] = .image(image)
        }
        let restarts: [String]
        if restartAll {
            restarts = services.map(\.name)
        } else if restart.isEmpty {
            restarts = []
        } else {
            restarts = try ForcedRestart.select(.services(restart), from: services.map(\.name))
        }
        for name in restarts {
            // A service that changes anyway restarts its tasks with that change.
            if let service = services.first(where: { $0.name == name }), changes[service.swarmName] == nil {
                changes[service.swarmName] = .restart(forceUpdate: nil)
            }
        }
        guard !changes.isEmpty || nodes != nil else {
            throw ValidationError("nothing to roll out: give --stack, --image, --restart, --restart-all or --maintain")
        }
        var request = RolloutRequest(
            homelab: homelab, changes: changes, dependencies: stacks?.dependencies ?? [], budget: budget,
            nodeBudget: nodeBudget, onFailure: policy, rollbackFailed: rollback, rollbackAll: rollbackAll,
            healthChecks: healthCheck, convergenceTimeoutSeconds: timeout)
        if let nodes {
            // Node steps come after the service steps that occupy their node, batch after batch.
            let (steps, edges) = RolloutRequest.nodeSteps(nodes, after: request.changes)
            request.changes += steps
            request.dependencies += edges
        }
        return request
    }

    /// A prepared rollout: the request with its estimates, what the stack files change, and which estimates
    /// come from history.
    struct Prepared {
        var request: RolloutRequest
        var stacks: StackChanges?
        var fromHistory: Set<String>
    }

    /// Reads the stack files, compares them with `live` (only when there are stack files), builds the request,
    /// and estimates each step: its median duration in past runs (the journal), else Swarm's rolling update of
    /// its replicas under its UpdateConfig. `nil` when only stack files were given and every service already
    /// matches them (nothing to do, as `docker stack deploy` of an unchanged file).
    /// - Throws: as ``request(for:stacks:)``, ``composeStacks(environment:warn:)`` and ``StackChanges/compare(_:with:)``.
    func prepare(
        homelab: Homelab, live: () async throws -> SwarmClient, journal: RolloutJournal?,
        environment: [String: String], warn: (String) -> Void
    ) async throws -> Prepared? {
        var nodePlan: NodeMaintenancePlan?
        if let options = try maintenanceOptions() {
            nodePlan = try await NodeCommand.plan(swarm: try await live(), homelab: homelab, nodes: maintain, options: options)
        }
        var stacks: StackChanges?
        if !stack.isEmpty {
            let composed = try composeStacks(environment: environment, warn: warn)
            let changes = try await StackChanges.compare(composed, with: try await live())
            if !changes.notDeployed.isEmpty {
                warn("warning: not deployed, left to docker stack deploy: \(changes.notDeployed.joined(separator: ", "))")
            }
            if changes.changed.isEmpty, image.isEmpty, restart.isEmpty, !restartAll, nodePlan == nil { return nil }
            stacks = changes
        }
        let specs = Dictionary((stacks?.changed ?? []).map { ($0.name, $0.desired) }, uniquingKeysWith: { a, _ in a })
        var request = try request(for: homelab, stacks: stacks, nodes: nodePlan).withDefaultEstimates(homelab: homelab, specs: specs)
        var history: [String: Double] = [:]
        if let journal {
            history = try await journal.durationHistory(services: request.changes.map(\.service))
            request = request.estimated(from: history)
        }
        return Prepared(request: request, stacks: stacks, fromHistory: Set(history.keys))
    }
}

/// Parses `RolloutOptions` outside the command line (the demo, tests) as the `homelab` commands do: inside an
/// asynchronous command. Its options complete live names asynchronously, and ArgumentParser stops the process when
/// such options are parsed synchronously (`RolloutOptions.parse`).
private struct RolloutOptionsParser: AsyncParsableCommand {
    @OptionGroup var options: RolloutOptions
    func run() async throws {}
}

extension RolloutOptions {
    /// `arguments` parsed as `homelab rollout apply` would parse them.
    static func parsed(_ arguments: [String]) async throws -> RolloutOptions {
        try await RolloutOptionsParser.asyncParse(arguments).options
    }
}
