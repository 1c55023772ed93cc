import Foundation
import HomelabCore

/// Jobs: started by a method, run in a few steps (`core.get_jobs` events `added`, then `changed` with progress),
/// ending in SUCCESS, or FAILED with an error and a traceback (starting the crashed app `immich` fails, as a
/// compose app whose container exits does).
extension TrueNASWorld {
    /// Starts a job for `method` and returns its id.
    func startJob(_ method: String, _ params: [JSONValue], messageID: JSONValue?) -> Int {
        let id = nextJob
        nextJob += 1
        var job = Job(id: id, method: method, arguments: params)
        if let messageID { job.messageIDs = [messageID] }
        jobs[id] = job
        publish("added", job)
        Task { await self.run(id) }
        return id
    }

    /// Waits until job `id` ends and returns it.
    func finished(_ id: Int) async -> Job? {
        guard let job = jobs[id] else { return nil }
        if job.finished != nil { return job }
        return await withCheckedContinuation { jobWaiters[id, default: []].append($0) }
    }

    /// Registers `sink` for `core.get_jobs` events (the `collection_update` params); returns its key.
    func addJobListener(_ sink: @escaping @Sendable (JSONValue) -> Void) -> UUID {
        let key = UUID()
        jobListeners[key] = sink
        return key
    }

    /// Removes a listener.
    func removeJobListener(_ key: UUID) { jobListeners[key] = nil }

    private func publish(_ message: String, _ job: Job) {
        let params: JSONValue = .object([
            "msg": .string(message), "collection": .string("core.get_jobs"), "id": .integer(Int64(job.id)), "fields": jobEntry(job),
            "extra": .object([:]),
        ])
        for sink in jobListeners.values { sink(params) }
    }

    private func update(_ id: Int, _ change: (inout Job) -> Void) {
        guard var job = jobs[id] else { return }
        change(&job)
        jobs[id] = job
        publish("changed", job)
        if job.finished != nil {
            for waiter in jobWaiters.removeValue(forKey: id) ?? [] { waiter.resume(returning: job) }
        }
    }

    private func run(_ id: Int) async {
        guard let job = jobs[id] else { return }
        let step = Duration.milliseconds(40)
        update(id) {
            $0.state = "RUNNING"
            $0.percent = 10
            $0.description = "Starting \(job.method)"
        }
        try? await Task.sleep(for: step)
        update(id) {
            $0.percent = 50
            $0.description = "Working"
        }
        try? await Task.sleep(for: step)
        let app = TrueNASQueryFilter.text(job.arguments.first ?? .null)
        if job.method == "app.start", app == "immich" {
            update(id) {
                $0.state = "FAILED"
                $0.error = "[EFAULT] Failed 'up' action for 'immich' app. Please check /var/log/app_lifecycle.log for more details"
                $0.exception = """
                    Traceback (most recent call last):
                      File "/usr/lib/python3/dist-packages/middlewared/job.py", line 515, in run
                        await self.future
                      File "/usr/lib/python3/dist-packages/middlewared/plugins/apps/app_scale.py", line 52, in start
                        compose_action(app_name, app_config['version'], 'up', force_recreate=True, remove_orphans=True)
                    middlewared.service_exception.CallError: [EFAULT] Failed 'up' action for 'immich' app. Please check /var/log/app_lifecycle.log for more details
                    """
                $0.finished = Date()
            }
            return
        }
        switch job.method {
        case "app.start": setApp(app) { $0.state = "RUNNING" }
        case "app.stop": setApp(app) { $0.state = "STOPPED" }
        case "app.upgrade": setApp(app) { $0.version = $0.latest }
        case "pool.scrub.run":
            if let index = pools.firstIndex(where: { $0.name == app }) { pools[index].scrubbedAt = Date() }
        default: break
        }
        let result: JSONValue = job.method == "app.upgrade" || job.method == "app.start" || job.method == "app.stop"
            ? apps.first { $0.name == app }.map(appEntry) ?? .null : .null
        update(id) {
            $0.state = "SUCCESS"
            $0.percent = 100
            $0.description = "Done"
            $0.result = result
            $0.finished = Date()
        }
    }

    private func setApp(_ name: String, _ change: (inout App) -> Void) {
        if let index = apps.firstIndex(where: { $0.name == name }) { change(&apps[index]) }
    }
}
