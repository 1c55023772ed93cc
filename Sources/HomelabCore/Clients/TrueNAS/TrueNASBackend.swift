import Logging

/// One TrueNAS method call described once, so that it can go over JSON-RPC or over REST v2.0.
struct TrueNASCall: Sendable {
    /// The method (`pool.dataset.update`).
    var method: String
    /// Its positional params.
    var params: [JSONValue]
    /// The params' names, for REST bodies of methods with more than one argument.
    var names: [String]
    /// Whether it only reads (REST: GET; retried like a read).
    var reads: Bool

    init(_ method: String, _ params: [JSONValue] = [], names: [String] = [], reads: Bool = false) {
        self.method = method
        self.params = params
        self.names = names
        self.reads = reads
    }
}

/// What carries calls to the server: the JSON-RPC session or REST v2.0.
protocol TrueNASBackend: Sendable {
    /// The API version spoken.
    var version: TrueNASAPIVersion { get }
    /// Performs one call and returns its result.
    func perform(_ call: TrueNASCall, logger: Logger?) async throws -> JSONValue
    /// Updates of job `id` as the server reports them (events over JSON-RPC, polls over REST), ending when it ends.
    func jobUpdates(_ id: Int, logger: Logger?) async throws -> AsyncThrowingStream<TrueNAS.Job, any Error>
    /// Closes the connection.
    func close() async
}

/// The JSON-RPC 2.0 backend over one long-lived ``JSONRPCClient``.
struct TrueNASJSONRPC: TrueNASBackend {
    let rpc: JSONRPCClient
    let version: TrueNASAPIVersion

    func perform(_ call: TrueNASCall, logger: Logger?) async throws -> JSONValue {
        try await rpc.call(call.method, .array(call.params))
    }

    func jobUpdates(_ id: Int, logger: Logger?) async throws -> AsyncThrowingStream<TrueNAS.Job, any Error> {
        let events = try await rpc.subscribe(
            "core.subscribe", .array([.string("core.get_jobs")]), notifications: "collection_update", unsubscribe: "core.unsubscribe",
            matching: { notification in
                TrueNASJSON.string(TrueNASJSON.field(notification.params, "collection")) == "core.get_jobs"
                    && TrueNASJSON.number(TrueNASJSON.field(notification.params, "id")) == Double(id)
            })
        let current = try await currentJob(id, backend: self, logger: logger)
        return AsyncThrowingStream { continuation in
            let task = Task {
                continuation.yield(current)
                guard !current.state.isFinished else { return continuation.finish() }
                do {
                    for try await event in events {
                        guard let fields = TrueNASJSON.field(event.params, "fields") else { continue }
                        let job = try TrueNASJSON.decode(TrueNAS.Job.self, from: fields, what: "a core.get_jobs event")
                        continuation.yield(job)
                        if job.state.isFinished { break }
                    }
                    continuation.finish()
                } catch {
                    continuation.finish(throwing: error)
                }
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    func close() async { await rpc.close() }
}

/// Job `id` as `core.get_jobs` reports it now.
/// - Throws: ``HomelabError/Code/notFound`` when the server has no such job.
func currentJob(_ id: Int, backend: any TrueNASBackend, logger: Logger?) async throws -> TrueNAS.Job {
    let answer = try await backend.perform(
        TrueNASCall("core.get_jobs", [.array([.array([.string("id"), .string("="), .integer(Int64(id))])]), .object([:])], reads: true),
        logger: logger)
    let jobs = try TrueNASJSON.decode([TrueNAS.Job].self, from: answer, what: "core.get_jobs")
    guard let job = jobs.first else { throw HomelabError(.notFound, "the server has no job \(id)", component: "truenas") }
    return job
}
