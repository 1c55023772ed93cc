import ArgumentParser
import Foundation
import HomelabCore

/// `homelab truenas`: TrueNAS SCALE's pools, datasets, snapshots, NFS shares, alerts, apps, jobs and disks through
/// one JSON-RPC session (REST v2.0 on 24.x servers); snapshots taken and rolled back.
struct TrueNASCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "truenas",
        abstract: "TrueNAS SCALE: pools, datasets, snapshots, shares, alerts, apps, jobs, disks.",
        subcommands: [
            Pools.self, Datasets.self, Snapshots.self, Shares.self, Alerts.self, Apps.self, Jobs.self, Disks.self, Snapshot.self,
        ])

    /// Opens the inventory's TrueNAS and runs `body` with its client; rows are printed as a table.
    static func run(_ options: ConfigOptions, _ body: @escaping @Sendable (TrueNASClient) async throws -> TrueNASTable) async throws {
        let table = try await HomelabContext.withConnections(options) { connections in
            try await body(try await connections.trueNAS())
        }
        print(table.rendered)
    }
}

/// A table printed by a `homelab truenas` command.
struct TrueNASTable: Sendable {
    var header: [String]
    var rows: [[String]]
    var footer: [String] = []

    var rendered: String {
        (OverviewRenderer.table(header, rows, indent: 0) + footer).joined(separator: "\n")
    }
}

extension TrueNASCommand {
    struct Pools: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pools: health, size, used, free, last scrub.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await TrueNASCommand.run(config) { truenas in
                let pools = try await truenas.pools.list()
                return TrueNASTable(
                    header: ["POOL", "HEALTH", "SIZE", "USED", "FREE", "FRAG", "SCRUB"],
                    rows: pools.map { pool in
                        [
                            pool.name, pool.status.rawValue + (pool.healthy == false ? " (!)" : ""), StorageRenderer.bytes(pool.size),
                            StorageRenderer.bytes(pool.allocated), StorageRenderer.bytes(pool.free), (pool.fragmentation ?? "-") + "%",
                            [pool.scan?.function, pool.scan?.state].compactMap { $0 }.joined(separator: " "),
                        ]
                    })
            }
        }
    }

    struct Datasets: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Datasets: used, available, quota.")
        @OptionGroup var config: ConfigOptions
        @Option(name: .long, help: "Only this pool's datasets.")
        var pool: String?

        func run() async throws {
            let pool = self.pool
            try await TrueNASCommand.run(config) { truenas in
                let datasets = try await truenas.datasets.list(pool.map { .whereEqual("pool", $0) } ?? TrueNASQuery())
                return TrueNASTable(
                    header: ["DATASET", "USED", "AVAILABLE", "QUOTA"],
                    rows: datasets.map { dataset in
                        let quota = dataset.quota?.bytes ?? 0
                        return [
                            dataset.name, StorageRenderer.bytes(dataset.used?.bytes), StorageRenderer.bytes(dataset.available?.bytes),
                            quota == 0 ? "none" : StorageRenderer.bytes(quota),
                        ]
                    })
            }
        }
    }

    struct Snapshots: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Snapshots, newest first, with periodic snapshot tasks.")
        @OptionGroup var config: ConfigOptions
        @Option(name: .long, help: "Only this dataset's snapshots.")
        var dataset: String?

        func run() async throws {
            let dataset = self.dataset
            try await TrueNASCommand.run(config) { truenas in
                let snapshots = try await truenas.snapshots.list(dataset.map { .whereEqual("dataset", $0) } ?? TrueNASQuery())
                let tasks = try await truenas.snapshotTasks.list()
                return TrueNASTable(
                    header: ["SNAPSHOT", "CREATED"],
                    rows: snapshots.sorted { ($0.createdAt ?? .distantPast) > ($1.createdAt ?? .distantPast) }.map { snapshot in
                        [snapshot.id, snapshot.createdAt.map { ISO8601DateFormatter().string(from: $0) } ?? "-"]
                    },
                    footer: tasks.map { task in
                        "task \(task.id): \(task.dataset)\(task.recursive == true ? " (recursive)" : ""), \(task.schedule?.crontab ?? "?"), "
                            + "kept \(task.lifetimeValue.map(String.init) ?? "?") \(task.lifetimeUnit?.lowercased() ?? "")"
                    })
            }
        }
    }

    struct Shares: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "NFS shares.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await TrueNASCommand.run(config) { truenas in
                TrueNASTable(
                    header: ["ID", "PATH", "NETWORKS", "MODE", "ENABLED", "COMMENT"],
                    rows: try await truenas.nfsShares.list().map { share in
                        [
                            String(share.id), share.path, (share.networks ?? []).joined(separator: ",").ifEmpty("anyone"),
                            share.ro == true ? "ro" : "rw", share.enabled == false ? "no" : "yes", share.comment ?? "",
                        ]
                    })
            }
        }
    }

    struct Alerts: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Alerts, most severe first; --dismiss UUID dismisses one.")
        @OptionGroup var config: ConfigOptions
        @Option(name: .long, help: "Dismiss the alert with this UUID.")
        var dismiss: String?
        @Flag(name: .long, help: "Also list dismissed alerts.")
        var all = false

        func run() async throws {
            let (dismiss, all) = (self.dismiss, self.all)
            try await TrueNASCommand.run(config) { truenas in
                if let dismiss { try await truenas.alerts.dismiss(dismiss) }
                let alerts = try await truenas.alerts.list().filter { all || $0.dismissed != true }.sorted { $0.level > $1.level }
                return TrueNASTable(
                    header: ["LEVEL", "CLASS", "UUID", "TEXT"],
                    rows: alerts.map { [$0.level.rawValue + ($0.dismissed == true ? " (dismissed)" : ""), $0.klass ?? "-", $0.uuid, $0.formatted ?? $0.text ?? ""] })
            }
        }
    }

    struct Apps: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Apps; --start, --stop or --upgrade NAME runs that job and waits for it (exit 1 when it fails).")
        @OptionGroup var config: ConfigOptions
        @Option(name: .long, help: "Start this app.") var start: String?
        @Option(name: .long, help: "Stop this app.") var stop: String?
        @Option(name: .long, help: "Upgrade this app to its newest version.") var upgrade: String?

        func validate() throws {
            guard [start, stop, upgrade].compactMap({ $0 }).count <= 1 else { throw ValidationError("give at most one of --start, --stop, --upgrade") }
        }

        func run() async throws {
            let (start, stop, upgrade) = (self.start, self.stop, self.upgrade)
            try await TrueNASCommand.run(config) { truenas in
                let job: TrueNAS.JobHandle?
                if let start { job = try await truenas.apps.start(start) }
                else if let stop { job = try await truenas.apps.stop(stop) }
                else if let upgrade { job = try await truenas.apps.upgrade(upgrade) }
                else { job = nil }
                if let job {
                    _ = try await job.result { StandardError.print("job \($0.id) \(job.method): \($0.state) \(Int($0.progress?.percent ?? 0))%") }
                }
                return TrueNASTable(
                    header: ["APP", "STATE", "VERSION", "UPGRADE"],
                    rows: try await truenas.apps.list().map { app in
                        [app.name, app.state.rawValue, app.humanVersion ?? app.version ?? "-", app.upgradeAvailable == true ? (app.latestVersion ?? "yes") : "-"]
                    })
            }
        }
    }

    struct Jobs: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Recent jobs: method, state, progress, error.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await TrueNASCommand.run(config) { truenas in
                TrueNASTable(
                    header: ["ID", "METHOD", "STATE", "PROGRESS", "ERROR"],
                    rows: try await truenas.jobs.list().map { job in
                        [String(job.id), job.method ?? "-", job.state.rawValue, "\(Int(job.progress?.percent ?? 0))%", job.error ?? ""]
                    })
            }
        }
    }

    struct Disks: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Disks: pool, size, model, temperature, last SMART test.")
        @OptionGroup var config: ConfigOptions

        func run() async throws {
            try await TrueNASCommand.run(config) { truenas in
                async let disks = truenas.disks.list()
                async let temperatures = truenas.disks.temperatures()
                async let smart = truenas.disks.smartResults()
                let (listed, celsius, results) = try await (disks, temperatures, smart)
                return TrueNASTable(
                    header: ["DISK", "POOL", "SIZE", "MODEL", "TEMP", "SMART"],
                    rows: listed.map { disk in
                        let test = results.first { $0.disk == disk.name }?.tests?.first
                        return [
                            disk.name, disk.pool ?? "-", StorageRenderer.bytes(disk.size), disk.model ?? "-",
                            celsius[disk.name].map { "\(Int($0)) °C" } ?? "-",
                            test.map { "\($0.status ?? "?") (\($0.description ?? "test"))" } ?? "-",
                        ]
                    })
            }
        }
    }

    struct Snapshot: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Take a snapshot or roll a dataset back to one.", subcommands: [Create.self, Rollback.self])

        struct Create: AsyncParsableCommand {
            static let configuration = CommandConfiguration(abstract: "Snapshot DATASET@NAME.")
            @OptionGroup var config: ConfigOptions
            @Argument(help: "DATASET@NAME, e.g. tank/apps/media-core/plex@before-upgrade.") var snapshot: String
            @Flag(name: .long, help: "Snapshot child datasets too.") var recursive = false

            func validate() throws { _ = try TrueNASCommand.split(snapshot) }

            func run() async throws {
                let (dataset, name) = try TrueNASCommand.split(snapshot)
                let recursive = self.recursive
                try await TrueNASCommand.run(config) { truenas in
                    let taken = try await truenas.snapshots.create(dataset: dataset, name: name, recursive: recursive)
                    return TrueNASTable(header: ["CREATED", "TXG"], rows: [[taken.id, taken.createtxg ?? "-"]])
                }
            }
        }

        struct Rollback: AsyncParsableCommand {
            static let configuration = CommandConfiguration(
                abstract: "Roll DATASET back to DATASET@NAME; --force destroys the newer snapshots (refused without it).")
            @OptionGroup var config: ConfigOptions
            @Argument(help: "DATASET@NAME.") var snapshot: String
            @Flag(name: .long, help: "Destroy snapshots newer than this one.") var force = false

            func validate() throws { _ = try TrueNASCommand.split(snapshot) }

            func run() async throws {
                let (snapshot, force) = (self.snapshot, self.force)
                try await TrueNASCommand.run(config) { truenas in
                    try await truenas.snapshots.rollback(snapshot, force: force)
                    return TrueNASTable(header: ["ROLLED BACK TO"], rows: [[snapshot]])
                }
            }
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

extension String {
    /// `replacement` when the string is empty.
    fileprivate func ifEmpty(_ replacement: String) -> String { isEmpty ? replacement : self }
}
