import ArgumentParser
import Foundation
import HomelabCore

/// `homelab truenas`: TrueNAS SCALE's pools, datasets, snapshots, NFS shares, alerts, apps, jobs and disks through
/// one JSON-RPC session (REST v2.0 on 24.x servers); snapshots taken and rolled back. Every listing takes
/// `-o table|wide|json|yaml` and `-q`; the rows below are the JSON shapes.
struct TrueNASCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truenas",
        abstract: "TrueNAS SCALE: pools, datasets, snapshots, shares, alerts, apps, jobs, disks.",
        subcommands: [
            Pools.self, Datasets.self, Snapshots.self, Shares.self, Alerts.self, Apps.self, Jobs.self, Disks.self, Snapshot.self,
        ])

    /// Opens the inventory's TrueNAS and runs `body` with its client.
    static func with<T: Sendable>(_ config: ConfigOptions, _ body: (TrueNASClient) async throws -> T) async throws -> T {
        try await HomelabContext.withConnections(config) { connections in
            try await body(try await connections.trueNAS())
        }
    }

    /// `DATASET@NAME` split in two.
    static func split(_ text: String) throws -> (String, String) {
        let parts = text.split(separator: "@", maxSplits: 1).map(String.init)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else {
            throw ValidationError("'\(text)' is not DATASET@NAME")
        }
        return (parts[0], parts[1])
    }
}

extension TrueNASCommand {
    struct Pools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "pools", abstract: "Pools: health, size, used, free, last scrub.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let pools = try await TrueNASCommand.with(config) { try await $0.pools.list() }
            try output.list(pools.map(TrueNASPoolRow.init), table: TrueNASPoolRow.table, id: \.name)
        }
    }

    struct Datasets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "datasets", abstract: "Datasets: used, available, quota.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only this pool's datasets.")
        var pool: String?

        func run() async throws {
            let query = pool.map { TrueNASQuery.whereEqual("pool", $0) } ?? TrueNASQuery()
            let datasets = try await TrueNASCommand.with(config) { try await $0.datasets.list(query) }
            try output.list(datasets.map(TrueNASDatasetRow.init), table: TrueNASDatasetRow.table, id: \.name)
        }
    }

    struct Snapshots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "snapshots", abstract: "Snapshots, newest first; the periodic snapshot tasks below.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Only this dataset's snapshots.")
        var dataset: String?

        func run() async throws {
            let query = dataset.map { TrueNASQuery.whereEqual("dataset", $0) } ?? TrueNASQuery()
            let (snapshots, tasks) = try await TrueNASCommand.with(config) { truenas in
                (try await truenas.snapshots.list(query), try await truenas.snapshotTasks.list())
            }
            let rows = snapshots.map(TrueNASSnapshotRow.init).sorted { ($0.created ?? .distantPast) > ($1.created ?? .distantPast) }
            try output.list(rows, table: TrueNASSnapshotRow.table, id: \.id)
            if output.format == .table || output.format == .wide {
                for task in tasks {
                    output.line(
                        "task \(task.id): \(task.dataset)\(task.recursive == true ? " (recursive)" : ""), \(task.schedule?.crontab ?? "?"), "
                            + "kept \(task.lifetimeValue.map(String.init) ?? "?") \(task.lifetimeUnit?.lowercased() ?? "")")
                }
            }
        }
    }

    struct Shares: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "shares", abstract: "NFS shares.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let shares = try await TrueNASCommand.with(config) { try await $0.nfsShares.list() }
            try output.list(shares.map(TrueNASShareRow.init), table: TrueNASShareRow.table, id: { String($0.id) })
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "alerts", abstract: "Active alerts, most severe first; --dismiss UUID dismisses one.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Dismiss the alert with this UUID first.")
        var dismiss: String?
        @Flag(name: .long, help: "Also list dismissed alerts.")
        var all = false

        func run() async throws {
            let dismiss = self.dismiss
            let alerts = try await TrueNASCommand.with(config) { truenas in
                if let dismiss { try await truenas.alerts.dismiss(dismiss) }
                return try await truenas.alerts.list()
            }
            let rows = alerts.filter { all || $0.dismissed != true }.sorted { $0.level > $1.level }.map(TrueNASAlertRow.init)
            try output.list(rows, table: TrueNASAlertRow.table, id: \.uuid)
        }
    }

    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "apps",
            abstract: "Apps; --start, --stop or --upgrade NAME runs that job and follows it (exit 3 when it fails).")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions
        @Option(name: .long, help: "Start this app.") var start: String?
        @Option(name: .long, help: "Stop this app.") var stop: String?
        @Option(name: .long, help: "Upgrade this app to its newest version.") var upgrade: String?

        func validate() throws {
            guard [start, stop, upgrade].compactMap({ $0 }).count <= 1 else {
                throw ValidationError("give at most one of --start, --stop, --upgrade")
            }
        }

        func run() async throws {
            let (start, stop, upgrade, output) = (self.start, self.stop, self.upgrade, self.output)
            let (apps, failure) = try await TrueNASCommand.with(config) { truenas -> ([TrueNAS.App], HomelabError?) in
                var job: TrueNAS.JobHandle?
                if let start { job = try await truenas.apps.start(start) }
                if let stop { job = try await truenas.apps.stop(stop) }
                if let upgrade { job = try await truenas.apps.upgrade(upgrade) }
                var failure: HomelabError?
                if let job {
                    do {
                        _ = try await job.result { update in
                            output.line("job \(update.id) \(job.method): \(update.state) \(Int(update.progress?.percent ?? 0))%")
                        }
                    } catch let error as HomelabError where error.code == .commandFailed {
                        failure = error
                    }
                }
                return (try await truenas.apps.list(), failure)
            }
            try output.list(apps.map(TrueNASAppRow.init), table: TrueNASAppRow.table, id: \.name)
            if let failure {
                output.writer.warn("error: \(failure.message)")
                throw ExitStatus.failed.code
            }
        }
    }

    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "jobs", abstract: "Recent jobs: method, state, progress, error.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let jobs = try await TrueNASCommand.with(config) { try await $0.jobs.list() }
            try output.list(jobs.map(TrueNASJobRow.init), table: TrueNASJobRow.table, id: { String($0.id) })
        }
    }

    struct Disks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "disks", abstract: "Disks: pool, size, model, temperature, last SMART test.")
        @OptionGroup var config: ConfigOptions
        @OptionGroup var output: OutputOptions

        func run() async throws {
            let (disks, temperatures, smart) = try await TrueNASCommand.with(config) { truenas in
                (try await truenas.disks.list(), try await truenas.disks.temperatures(), try await truenas.disks.smartResults())
            }
            let rows = disks.map { disk in
                TrueNASDiskRow(disk, temperature: temperatures[disk.name], smart: smart.first { $0.disk == disk.name }?.tests?.first)
            }
            try output.list(rows, table: TrueNASDiskRow.table, id: \.name)
        }
    }

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "snapshot",
            abstract: "Take a snapshot or roll a dataset back to one.", subcommands: [Create.self, Rollback.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(commandName: "create", abstract: "Snapshot DATASET@NAME.")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "DATASET@NAME, e.g. tank/apps/media-core/plex@before-upgrade.") var snapshot: String
            @Flag(name: .long, help: "Snapshot child datasets too.") var recursive = false

            func validate() throws { _ = try TrueNASCommand.split(snapshot) }

            func run() async throws {
                let (dataset, name) = try TrueNASCommand.split(snapshot)
                let recursive = self.recursive
                let taken = try await TrueNASCommand.with(config) {
                    try await $0.snapshots.create(dataset: dataset, name: name, recursive: recursive)
                }
                let row = TrueNASSnapshotRow(taken)
                try output.show(row, ids: [row.id]) { _ in "created \(row.id)" }
            }
        }

        struct Rollback: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                commandName: "rollback",
                abstract: "Roll DATASET back to DATASET@NAME; --force destroys the newer snapshots (refused without it).")
            @OptionGroup var config: ConfigOptions
            @OptionGroup var output: OutputOptions
            @Argument(help: "DATASET@NAME.") var snapshot: String
            @Flag(name: .long, help: "Destroy snapshots newer than this one.") var force = false

            func validate() throws { _ = try TrueNASCommand.split(snapshot) }

            func run() async throws {
                let (snapshot, force) = (self.snapshot, self.force)
                try await TrueNASCommand.with(config) { try await $0.snapshots.rollback(snapshot, force: force) }
                try output.show(["rolled_back_to": snapshot], ids: [snapshot]) { _ in "rolled back to \(snapshot)" }
            }
        }
    }
}
