import Foundation
import HomelabCore

/// The world's objects as the middleware answers them (the shapes of the 24.04 REST spec, plus a few keys newer
/// releases added, on purpose: `dedup_table_size` and `dedup_table_quota` on pools, `message_ids` on jobs).
extension TrueNASWorld {
    static func date(_ date: Date) -> JSONValue { .object(["$date": .integer(Int64(date.timeIntervalSince1970 * 1000))]) }

    static func size(_ bytes: Int64) -> String {
        let units = ["B", "KiB", "MiB", "GiB", "TiB", "PiB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024, unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        return unit == 0 ? "\(bytes) B" : String(format: "%.2f ", value) + units[unit]
    }

    static func property(_ bytes: Int64, source: String = "NONE") -> JSONValue {
        .object([
            "value": .string(size(bytes)), "rawvalue": .string(String(bytes)), "parsed": .integer(bytes), "source": .string(source),
        ])
    }

    static func textProperty(_ text: String, source: String = "DEFAULT") -> JSONValue {
        .object(["value": .string(text), "rawvalue": .string(text.lowercased()), "parsed": .string(text.lowercased()), "source": .string(source)])
    }

    func allocated(_ pool: Pool) -> Int64 {
        datasets.values.filter { $0.name == pool.name || $0.name.hasPrefix(pool.name + "/") }
            .filter { !$0.name.dropFirst(pool.name.count + 1).contains("/") && $0.name != pool.name }
            .reduce(0) { $0 + $1.used }
    }

    func poolEntry(_ pool: Pool) -> JSONValue {
        let allocated = allocated(pool)
        let free = pool.size - allocated
        let healthy = pool.status == "ONLINE"
        let vdev: JSONValue = .object([
            "type": .string("MIRROR"), "name": .string("mirror-0"), "status": .string(pool.status),
            "children": .array(pool.disks.map { disk in
                .object([
                    "type": .string("DISK"), "name": .string(disk), "disk": .string(disk),
                    "status": .string(disk == "sdd" ? "REMOVED" : "ONLINE"),
                ])
            }),
        ])
        return .object([
            "id": .integer(Int64(pool.id)), "name": .string(pool.name), "guid": .string(String(9_284_721_553_117_042_000 + UInt64(pool.id))),
            "status": .string(pool.status), "path": .string("/mnt/\(pool.name)"),
            "scan": .object([
                "function": .string("SCRUB"), "state": .string("FINISHED"), "percentage": .number(100), "errors": .integer(0),
                "start_time": Self.date(pool.scrubbedAt - 3_600), "end_time": Self.date(pool.scrubbedAt),
            ]),
            "is_upgraded": .bool(true), "healthy": .bool(healthy), "warning": .bool(!healthy),
            "status_code": healthy ? .null : .string("NON_NATIVE_ASHIFT"),
            "status_detail": healthy ? .null : .string("One or more devices has been removed by the administrator."),
            "size": .integer(pool.size), "allocated": .integer(allocated), "free": .integer(free), "freeing": .integer(0),
            "fragmentation": .string("4"), "size_str": .string(String(pool.size)), "allocated_str": .string(String(allocated)),
            "free_str": .string(String(free)), "freeing_str": .string("0"),
            "autotrim": .object(["value": .string("off"), "rawvalue": .string("off"), "parsed": .string("off"), "source": .string("DEFAULT")]),
            "topology": .object([
                "data": .array([vdev]), "log": .array([]), "cache": .array([]), "spare": .array([]), "special": .array([]),
                "dedup": .array([]),
            ]),
            "dedup_table_size": .integer(0), "dedup_table_quota": .string("auto"),
        ])
    }

    func datasetEntry(_ dataset: Dataset) -> JSONValue {
        let pool = String(dataset.name.split(separator: "/").first ?? "")
        let poolRecord = pools.first { $0.name == pool }
        let poolFree = poolRecord.map { $0.size - allocated($0) } ?? 0
        let available = dataset.quota > 0 ? max(0, min(poolFree, dataset.quota - dataset.used)) : poolFree
        return .object([
            "id": .string(dataset.name), "type": .string("FILESYSTEM"), "name": .string(dataset.name), "pool": .string(pool),
            "encrypted": .bool(false), "encryption_root": .null, "key_loaded": .bool(false), "children": .array([]),
            "user_properties": .object([:]), "locked": .bool(false), "mountpoint": .string("/mnt/\(dataset.name)"),
            "used": Self.property(dataset.used), "available": Self.property(available),
            "quota": Self.property(dataset.quota, source: dataset.quota > 0 ? "LOCAL" : "DEFAULT"),
            "refquota": Self.property(0, source: "DEFAULT"), "compression": Self.textProperty("LZ4", source: "INHERITED"),
            "usedbysnapshots": Self.property(snapshots.values.filter { $0.dataset == dataset.name }.count > 0 ? 52_428_800 : 0),
        ])
    }

    func snapshotEntry(_ snapshot: Snapshot) -> JSONValue {
        let seconds = Int64(snapshot.created.timeIntervalSince1970)
        return .object([
            "id": .string("\(snapshot.dataset)@\(snapshot.name)"), "name": .string("\(snapshot.dataset)@\(snapshot.name)"),
            "dataset": .string(snapshot.dataset), "snapshot_name": .string(snapshot.name), "pool": .string(String(snapshot.dataset.split(separator: "/").first ?? "")),
            "type": .string("SNAPSHOT"), "createtxg": .string(String(snapshot.txg)),
            "properties": .object([
                "creation": .object([
                    "value": .string(snapshot.created.description), "rawvalue": .string(String(seconds)),
                    "parsed": Self.date(snapshot.created), "source": .string("NONE"),
                ]),
                "used": Self.property(17_825_792), "referenced": Self.property(1_073_741_824),
            ]),
            "holds": .object([:]), "retention": .null,
        ])
    }

    func shareEntry(_ share: Share) -> JSONValue {
        .object([
            "id": .integer(Int64(share.id)), "path": .string(share.path), "aliases": .array([]), "comment": .string(share.comment),
            "networks": .array(share.networks.map { .string($0) }), "hosts": .array([]), "ro": .bool(share.readOnly),
            "maproot_user": .null, "maproot_group": .null, "mapall_user": .null, "mapall_group": .null,
            "security": .array([]), "enabled": .bool(true), "locked": .bool(false),
        ])
    }

    func alertEntry(_ alert: Alert) -> JSONValue {
        .object([
            "uuid": .string(alert.uuid), "id": .string(alert.uuid), "source": .string(""), "klass": .string(alert.klass),
            "args": .string(alert.text), "node": .string("A"), "key": .string("[\"\(alert.klass)\"]"),
            "datetime": Self.date(alert.raised), "last_occurrence": Self.date(alert.raised), "dismissed": .bool(alert.dismissed),
            "mail": .null, "text": .string("%s"), "level": .string(alert.level), "formatted": .string(alert.text), "one_shot": .bool(false),
        ])
    }

    func appEntry(_ app: App) -> JSONValue {
        .object([
            "name": .string(app.name), "id": .string(app.name), "state": .string(app.state),
            "upgrade_available": .bool(app.version != app.latest), "latest_version": .string(app.latest),
            "image_updates_available": .bool(false), "custom_app": .bool(false), "migrated": .bool(false),
            "human_version": .string("v\(app.version)"), "version": .string(app.version),
            "metadata": .object(["name": .string(app.name), "train": .string("community")]),
            "active_workloads": .object(["containers": .integer(app.state == "RUNNING" ? 1 : 0), "used_ports": .array([])]),
            "notes": .null, "portals": .object([:]),
        ])
    }

    func diskEntry(_ disk: Disk, index: Int) -> JSONValue {
        .object([
            "identifier": .string("{serial_lunid}\(disk.serial)"), "name": .string(disk.name), "subsystem": .string("scsi"),
            "number": .integer(Int64(2048 + index * 16)), "serial": .string(disk.serial), "lunid": .null, "size": .integer(disk.size),
            "description": .string(""), "transfermode": .string("Auto"), "hddstandby": .string("ALWAYS ON"), "togglesmart": .bool(true),
            "advpowermgmt": .string("DISABLED"), "smartoptions": .string(""), "expiretime": .null, "critical": .null,
            "difference": .null, "informational": .null, "model": .string(disk.size > 5_000_000_000_000 ? "WDC WD80EFZZ" : "ST4000VN008"),
            "rotationrate": .integer(5400), "type": .string("HDD"), "zfs_guid": .string(String(1_000_000 + index)),
            "bus": .string("ATA"), "devname": .string(disk.name), "enclosure": .object([:]),
            "pool": disk.pool.map { .string($0) } ?? .null, "supports_smart": .bool(true),
        ])
    }

    func jobEntry(_ job: Job) -> JSONValue {
        var fields: [String: JSONValue] = [
            "id": .integer(Int64(job.id)), "method": .string(job.method), "arguments": .array(job.arguments), "transient": .bool(false),
            "description": .null, "abortable": .bool(false), "logs_path": .null, "logs_excerpt": .null,
            "progress": .object([
                "percent": .number(job.percent), "description": job.description.map { .string($0) } ?? .null, "extra": .null,
            ]),
            "result": job.result, "error": job.error.map { .string($0) } ?? .null,
            "exception": job.exception.map { .string($0) } ?? .null,
            "state": .string(job.state), "time_started": Self.date(job.started),
            "time_finished": job.finished.map { Self.date($0) } ?? .null,
            "credentials": .object(["type": .string("API_KEY"), "data": .object(["username": .string(apiUser)])]),
            "message_ids": .array(job.messageIDs),
        ]
        // exc_info is an object in the 24.04 schema, never null: present only for a failed job.
        if let error = job.error { fields["exc_info"] = .object(["type": .string("CallError"), "extra": .null, "repr": .string(error)]) }
        return .object(fields)
    }

    func systemInfo() -> JSONValue {
        .object([
            "version": .string("TrueNAS-SCALE-\(release)"), "buildtime": .string("2026-10-01T00:00:00"), "hostname": .string(hostname),
            "physmem": .integer(68_719_476_736), "model": .string("Intel(R) Core(TM) i5-12500"), "cores": .integer(12),
            "physical_cores": .integer(6), "loadavg": .array([.number(0.42), .number(0.51), .number(0.48)]),
            "uptime": .string("12 days, 3:04:05"), "uptime_seconds": .number(1_047_845),
            "system_serial": .string("SIMULATED-0001"), "system_product": .string("Homelab Sim"),
            "system_product_version": .string("1.0"), "boottime": Self.date(Date() - 1_047_845),
            "datetime": Self.date(Date()), "timezone": .string("Europe/Paris"), "system_manufacturer": .string("Simulated"),
            "ecc_memory": .bool(false),
        ])
    }
}
