import Foundation
import HomelabCore

/// What a call gives: a value, or a job started (its id).
enum TrueNASAnswer: Sendable {
    case value(JSONValue)
    case job(Int)
}

/// The methods the simulated middleware serves, shared by the JSON-RPC session and REST v2.0.
extension TrueNASWorld {
    /// Runs `method` with `params` for an authenticated caller speaking API `version` (`nil`: REST v2.0).
    /// - Throws: ``TrueNASFault`` as the middleware would answer.
    func perform(_ method: String, _ params: [JSONValue], version: String?, messageID: JSONValue? = nil) throws -> TrueNASAnswer {
        let snapshotNamespace = snapshotNamespace(for: version)
        switch method {
        case "core.ping": return .value(.string("pong"))
        case "system.info": return .value(systemInfo())
        case "system.version": return .value(.string("TrueNAS-SCALE-\(release)"))
        case "pool.query": return .value(try TrueNASQueryFilter.apply(pools.map(poolEntry), params: params))
        case "pool.scrub.run":
            let name = try string(params, 0, "name")
            guard pools.contains(where: { $0.name == name }) else { throw TrueNASFault.notFound("\(name): pool not found") }
            return .job(startJob(method, params, messageID: messageID))
        case "pool.dataset.query":
            return .value(try TrueNASQueryFilter.apply(datasets.keys.sorted().compactMap { datasets[$0].map(datasetEntry) }, params: params))
        case "pool.dataset.create": return .value(try createDataset(params))
        case "pool.dataset.update": return .value(try updateDataset(params))
        case "pool.dataset.delete": return .value(try deleteDataset(params))
        case "\(snapshotNamespace).query":
            return .value(try TrueNASQueryFilter.apply(snapshots.keys.sorted().compactMap { snapshots[$0].map(snapshotEntry) }, params: params))
        case "\(snapshotNamespace).create": return .value(try createSnapshot(params))
        case "\(snapshotNamespace).delete":
            let id = try string(params, 0, "id")
            guard snapshots.removeValue(forKey: id) != nil else { throw TrueNASFault.notFound("\(id): snapshot not found") }
            return .value(.bool(true))
        case "\(snapshotNamespace).rollback": return .value(try rollback(params))
        case "pool.snapshottask.query": return .value(try TrueNASQueryFilter.apply(tasks, params: params))
        case "sharing.nfs.query": return .value(try TrueNASQueryFilter.apply(shares.map(shareEntry), params: params))
        case "sharing.nfs.create": return .value(try createShare(params))
        case "sharing.nfs.delete":
            let id = try integer(params, 0, "id")
            guard let index = shares.firstIndex(where: { $0.id == id }) else { throw TrueNASFault.notFound("\(id): share not found") }
            shares.remove(at: index)
            return .value(.bool(true))
        case "alert.list": return .value(.array(alerts.map(alertEntry)))
        case "alert.dismiss", "alert.restore":
            let uuid = try string(params, 0, "uuid")
            guard let index = alerts.firstIndex(where: { $0.uuid == uuid }) else { throw TrueNASFault.notFound("\(uuid): alert not found") }
            alerts[index].dismissed = method == "alert.dismiss"
            return .value(.null)
        case "app.query" where version != nil: return .value(try TrueNASQueryFilter.apply(apps.map(appEntry), params: params))
        case "app.start", "app.stop", "app.upgrade":
            guard version != nil else { throw TrueNASFault.methodNotFound(method) }
            let name = try string(params, 0, "app_name")
            guard apps.contains(where: { $0.name == name }) else { throw TrueNASFault.notFound("\(name): app not found") }
            return .job(startJob(method, params, messageID: messageID))
        case "core.get_jobs": return .value(try TrueNASQueryFilter.apply(jobs.keys.sorted().compactMap { jobs[$0].map(jobEntry) }, params: params))
        case "disk.query": return .value(try TrueNASQueryFilter.apply(disks.enumerated().map { diskEntry($1, index: $0) }, params: params))
        case "disk.temperatures":
            var names = Set(disks.map(\.name))
            if case .array(let asked)? = params.first, !asked.isEmpty { names = Set(TrueNASQueryFilter.strings(asked)) }
            var answer: [String: JSONValue] = [:]
            for disk in disks where names.contains(disk.name) { answer[disk.name] = disk.temperature.map { .number($0) } ?? .null }
            return .value(.object(answer))
        case "smart.test.results":
            return .value(.array(disks.map { disk in
                .object([
                    "disk": .string(disk.name),
                    "tests": .array([.object([
                        "num": .integer(1), "description": .string("Short offline"),
                        "status": .string(disk.name == "sdd" ? "FAILED" : "SUCCESS"),
                        "status_verbose": .string(disk.name == "sdd" ? "Completed: read failure" : "Completed without error"),
                        "remaining": .number(0), "lifetime": .integer(21_345), "lba_of_first_error": disk.name == "sdd" ? .string("123456") : .null,
                    ])]),
                ])
            }))
        default: throw TrueNASFault.methodNotFound(method)
        }
    }

    /// `pool.snapshot` from 25.10 (and on REST never), `zfs.snapshot` before.
    func snapshotNamespace(for version: String?) -> String {
        guard let version else { return "zfs.snapshot" }
        let parts = version.dropFirst().split(separator: ".").compactMap { Int($0) }
        return parts.lexicographicallyPrecedes([25, 10]) ? "zfs.snapshot" : "pool.snapshot"
    }

    func string(_ params: [JSONValue], _ index: Int, _ name: String) throws -> String {
        guard index < params.count, case .string(let text) = params[index] else {
            throw TrueNASFault.invalid(name, "\(name): a string is required")
        }
        return text
    }

    func integer(_ params: [JSONValue], _ index: Int, _ name: String) throws -> Int {
        guard index < params.count, case .integer(let number) = params[index] else {
            throw TrueNASFault.invalid(name, "\(name): an integer is required")
        }
        return Int(number)
    }

    func object(_ params: [JSONValue], _ index: Int, _ name: String) throws -> [String: JSONValue] {
        guard index < params.count else { return [:] }
        guard case .object(let fields) = params[index] else { throw TrueNASFault.invalid(name, "\(name): an object is required") }
        return fields
    }

    private func createDataset(_ params: [JSONValue]) throws -> JSONValue {
        let body = try object(params, 0, "pool_dataset_create")
        guard case .string(let name)? = body["name"], name.contains("/") else {
            throw TrueNASFault.invalid("pool_dataset_create.name", "Please specify a name as POOL/DATASET")
        }
        guard datasets[name] == nil else { throw TrueNASFault.exists("\(name) already exists") }
        let parent = String(name[..<(name.lastIndex(of: "/") ?? name.endIndex)])
        guard datasets[parent] != nil else { throw TrueNASFault.invalid("pool_dataset_create.name", "Parent dataset \(parent) does not exist") }
        var quota: Int64 = 0
        if case .integer(let value)? = body["quota"] { quota = value }
        datasets[name] = Dataset(name: name, used: 98_304, quota: quota)
        return datasetEntry(datasets[name] ?? Dataset(name: name, used: 0, quota: 0))
    }

    private func updateDataset(_ params: [JSONValue]) throws -> JSONValue {
        let id = try string(params, 0, "id")
        guard var dataset = datasets[id] else { throw TrueNASFault.notFound("\(id) not found") }
        let body = try object(params, 1, "pool_dataset_update")
        if case .integer(let value)? = body["quota"] {
            guard value == 0 || value >= 1_073_741_824 else {
                throw TrueNASFault.invalid("pool_dataset_update.quota", "Quota smaller than 1 GiB is not allowed")
            }
            dataset.quota = value
        }
        datasets[id] = dataset
        return datasetEntry(dataset)
    }

    private func deleteDataset(_ params: [JSONValue]) throws -> JSONValue {
        let id = try string(params, 0, "id")
        guard datasets[id] != nil else { throw TrueNASFault.notFound("\(id) not found") }
        let children = datasets.keys.filter { $0.hasPrefix(id + "/") }
        let options = try object(params, 1, "options")
        if !children.isEmpty, options["recursive"] != .bool(true) {
            throw TrueNASFault.failed("Failed to delete dataset: cannot destroy '\(id)': filesystem has children")
        }
        for name in children + [id] { datasets[name] = nil }
        snapshots = snapshots.filter { $0.value.dataset != id && !$0.value.dataset.hasPrefix(id + "/") }
        return .bool(true)
    }

    private func createSnapshot(_ params: [JSONValue]) throws -> JSONValue {
        let body = try object(params, 0, "snapshot_create")
        guard case .string(let dataset)? = body["dataset"] else { throw TrueNASFault.invalid("snapshot_create.dataset", "dataset is required") }
        guard datasets[dataset] != nil else { throw TrueNASFault.notFound("\(dataset): dataset not found") }
        let name: String
        if case .string(let given)? = body["name"] { name = given } else { name = "manual-\(Self.stamp(Date()))" }
        guard snapshots["\(dataset)@\(name)"] == nil else { throw TrueNASFault.exists("\(dataset)@\(name) already exists") }
        let snapshot = Snapshot(dataset: dataset, name: name, created: Date(), txg: nextTxg)
        nextTxg += 1
        snapshots["\(dataset)@\(name)"] = snapshot
        return snapshotEntry(snapshot)
    }

    private func rollback(_ params: [JSONValue]) throws -> JSONValue {
        let id = try string(params, 0, "id")
        guard let target = snapshots[id] else { throw TrueNASFault.notFound("\(id): snapshot not found") }
        let options = try object(params, 1, "options")
        let newer = snapshots.filter { $0.value.dataset == target.dataset && $0.value.txg > target.txg }
        if !newer.isEmpty, options["recursive"] != .bool(true), options["force"] != .bool(true) {
            throw TrueNASFault.failed(
                "cannot rollback to '\(id)': more recent snapshots or bookmarks exist; use '-r' to force deletion of the following snapshots and bookmarks: "
                    + newer.keys.sorted().joined(separator: ", "))
        }
        for key in newer.keys { snapshots[key] = nil }
        return .null
    }

    private func createShare(_ params: [JSONValue]) throws -> JSONValue {
        let body = try object(params, 0, "sharingnfs_create")
        guard case .string(let path)? = body["path"], path.hasPrefix("/mnt/") else {
            throw TrueNASFault.invalid("sharingnfs_create.path", "The path must be within a pool mount point (/mnt/...)")
        }
        guard !shares.contains(where: { $0.path == path }) else {
            throw TrueNASFault.invalid("sharingnfs_create.path", "Export conflict: \(path) is already exported")
        }
        var networks: [String] = []
        if case .array(let given)? = body["networks"] { networks = TrueNASQueryFilter.strings(given) }
        var comment = ""
        if case .string(let text)? = body["comment"] { comment = text }
        let share = Share(id: (shares.map(\.id).max() ?? 0) + 1, path: path, networks: networks, readOnly: body["ro"] == .bool(true), comment: comment)
        shares.append(share)
        return shareEntry(share)
    }
}
