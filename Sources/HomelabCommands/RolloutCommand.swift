import ArgumentParser
import Foundation
import HomelabCore
import Logging

/// `homelab rollout`: plan, apply, resume and inspect rolling updates driven by the scheduler.
struct RolloutCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rollout",
        abstract: "Roll out image bumps and restarts in dependency order under a concurrency budget.",
        subcommands: [Plan.self, Apply.self, Resume.self, List.self, Show.self])

    /// Exit codes: 0 completed, 2 paused, 3 failed, 4 rolled back.
    static func exitCode(_ status: RolloutJournal.RunStatus) -> ExitCode {
        switch status {
        case .completed, .planned, .running: return .success
        case .paused: return ExitCode(2)
        case .failed: return ExitCode(3)
        case .rolledBack: return ExitCode(4)
        }
    }

    static func store() throws -> StateStore {
        try StateStore(path: StateStore.defaultPath(environment: ProcessInfo.processInfo.environment))
    }
}

/// What to roll out, and how.
struct RolloutOptions: ParsableArguments {
    @Option(name: .long, help: "SERVICE=IMAGE or SERVICE=TAG to deploy (repeatable).")
    var image: [String] = []
    @Option(name: .long, help: "Restart SERVICE (repeatable).")
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
    @Flag(name: .long, help: "After a failure, roll back everything this run updated.")
    var rollbackAll = false
    @Option(name: .long, help: "Seconds to wait for each service to converge (default: from its UpdateConfig).")
    var timeout: Double?

    /// The request for `homelab`'s services (Swarm names `<stack>_<service>`; tiers and depends_on as dependencies).
    func request(for homelab: Homelab) throws -> RolloutRequest {
        guard let policy = RolloutRequest.OnFailure(rawValue: onFailure) else {
            throw ValidationError("--on-failure must be continue-independent or pause-all, got \(onFailure)")
        }
        let services = homelab.services
        func swarmName(_ s: Homelab.Service) -> String { RolloutRequest.swarmName(s) }
        var changes: [String: RolloutChange] = [:]
        for bump in try ImageBump.parseAll(image) {
            guard let service = services.first(where: { bump.names(service: $0.name, stack: $0.stack) || bump.service == swarmName($0) })
            else { throw ValidationError("--image \(bump): no service \(bump.service) in the inventory") }
            let image: String
            switch bump.target {
            case .image(let reference): image = reference.description
            case .tag:
                guard let current = service.image else {
                    throw ValidationError("--image \(bump): the inventory names no image for \(service.name); give IMAGE:TAG")
                }
                image = try bump.image(replacing: current)
            }
            changes[swarmName(service)] = .image(image)
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
            if let service = services.first(where: { $0.name == name }), changes[swarmName(service)] == nil {
                changes[swarmName(service)] = .restart(forceUpdate: nil)
            }
        }
        guard !changes.isEmpty else { throw ValidationError("nothing to roll out: give --image, --restart or --restart-all") }
        return RolloutRequest(
            homelab: homelab, changes: changes, budget: budget, nodeBudget: nodeBudget, onFailure: policy,
            rollbackFailed: rollback, rollbackAll: rollbackAll, convergenceTimeoutSeconds: timeout)
    }
}

extension RolloutCommand {
    struct Plan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Print the order, waves, predicted makespan and lower bound.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var rollout: RolloutOptions

        func run() async throws {
            let homelab = try InventoryLoader.load(path: config.path)
            let request = try rollout.request(for: homelab)
            let plan = RolloutScheduler().plan(try request.graph(), limits: try request.limits())
            print("order: \(plan.order.joined(separator: " "))")
            for (i, wave) in plan.waves.enumerated() { print("wave \(i + 1): \(wave.joined(separator: " "))") }
            print("predicted makespan: \(plan.makespan.formatted())  lower bound: \(plan.lowerBound.value.formatted())")
        }
    }

    struct Apply: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Roll out and wait; exit 0 completed, 2 paused, 3 failed, 4 rolled back.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var rollout: RolloutOptions
        @Option(name: .long, help: "Run ID (default: generated).")
        var id: String?

        func run() async throws {
            let context = try HomelabContext.load(config)
            let request = try rollout.request(for: context.homelab)
            let runner = RolloutRunner(
                swarm: context.swarm, journal: try RolloutCommand.store().rolloutJournal,
                logger: context.logger ?? Logger(label: "homelab.rollout"))
            let printer = Task { for await event in runner.events { RolloutCommand.show(event) } }
            let result = try await runner.apply(request, runID: id)
            await printer.value
            throw RolloutCommand.exitCode(result.status)
        }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Continue an interrupted or paused rollout.")
        @OptionGroup var config: ConfigOptions
        @Argument(help: "The run ID.") var id: String

        func run() async throws {
            let context = try HomelabContext.load(config)
            let runner = RolloutRunner(
                swarm: context.swarm, journal: try RolloutCommand.store().rolloutJournal,
                logger: context.logger ?? Logger(label: "homelab.rollout"))
            let printer = Task { for await event in runner.events { RolloutCommand.show(event) } }
            let result = try await runner.resume(runID: id)
            await printer.value
            throw RolloutCommand.exitCode(result.status)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List recent rollouts.")

        func run() async throws {
            for run in try await RolloutCommand.store().rolloutJournal.runs() {
                print("\(run.id)  \(run.status.rawValue)  \(run.createdAt.formatted())\(run.owner.map { "  driven by \($0)" } ?? "")")
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show a rollout's steps and history.")
        @Argument(help: "The run ID.") var id: String

        func run() async throws {
            let journal = try RolloutCommand.store().rolloutJournal
            guard let run = try await journal.run(id) else { throw ValidationError("no rollout with ID \(id)") }
            print("\(run.id)  \(run.status.rawValue)\(run.detail.map { "  \($0)" } ?? "")")
            for step in try await journal.steps(runID: id) {
                print("  \(step.position + 1). \(step.stepID)  \(step.status.rawValue)\(step.detail.map { $0.isEmpty ? "" : "  \($0)" } ?? "")")
            }
        }
    }

    static func show(_ event: RolloutProgressEvent) {
        switch event {
        case .started(let step): print("started  \(step)")
        case .progress(let step, let running, let desired): print("         \(step) \(running)/\(desired)")
        case .healthy(let step): print("healthy  \(step)")
        case .failed(let step, let message): print("FAILED   \(step): \(message)")
        case .rollingBack(let step): print("rolling back \(step)")
        case .rolledBack(let step, let ok): print(ok ? "rolled back \(step)" : "ROLLBACK FAILED \(step)")
        case .blocked(let step, let by): print("blocked  \(step) (by \(by))")
        case .paused(let because): print("paused after \(because) failed")
        case .overdue(let step): print("overdue  \(step)")
        case .finished(let result): print("rollout \(result.runID): \(result.status.rawValue)")
        }
    }
}
