extension ErrorMapping {
    /// Docker's errors: `{"message": "..."}`, with "update out of sequence", "not a swarm manager" and API-version
    /// refusals recognised.
    public static let docker = ErrorMapping(classify: { answer in
        let text = answer.message?.lowercased() ?? ""
        if text.contains("update out of sequence") {
            return (.outOfSequence, "the object changed since it was read (stale version); re-read it and retry")
        }
        if text.contains("not a swarm manager") || text.contains("not part of a swarm") {
            if text.contains("worker") {
                return (.notSwarmManager, "the engine at \(answer.endpoint) is a swarm worker; swarm calls need a manager node")
            }
            return (.notSwarmManager, "the engine at \(answer.endpoint) is not part of a swarm (initialise or join one first)")
        }
        if answer.status == 400, text.contains("client version"), text.contains("too old") || text.contains("too new") {
            return (.unsupportedVersion, "the engine refused the API version")
        }
        if answer.status == 409 || text.contains("already exists") {
            return (.conflict, "the object already exists or is in a conflicting state")
        }
        return (HomelabError.code(forStatus: answer.status), "the engine refused the request")
    })
}
