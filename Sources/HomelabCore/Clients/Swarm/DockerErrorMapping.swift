/// Turns a Docker error answer (`{"message": "..."}` with a status) into the most precise ``HomelabError``.
enum DockerErrorMapping {
    static func error(status: Int, body: [UInt8], request: HTTPRequest, endpoint: String) -> HomelabError {
        let message = ServerMessage.extract(from: body)
        let text = message?.lowercased() ?? ""
        let code: HomelabError.Code
        let explanation: String
        if text.contains("update out of sequence") {
            code = .outOfSequence
            explanation = "the object changed since it was read (stale version); re-read it and retry"
        } else if text.contains("not a swarm manager") || text.contains("not part of a swarm") {
            code = .notSwarmManager
            if text.contains("worker") {
                explanation = "the engine at \(endpoint) is a swarm worker; swarm calls need a manager node"
            } else {
                explanation = "the engine at \(endpoint) is not part of a swarm (initialise or join one first)"
            }
        } else if status == 400, text.contains("client version"), text.contains("too old") || text.contains("too new") {
            code = .unsupportedVersion
            explanation = "the engine refused the API version"
        } else if status == 409 || text.contains("already exists") {
            code = .conflict
            explanation = "the object already exists or is in a conflicting state"
        } else {
            code = HomelabError.code(forStatus: status)
            explanation = "the engine refused the request"
        }
        return HomelabError(
            code, explanation, component: "docker", request: request.redactedSummary, status: status,
            serverMessage: message)
    }
}
