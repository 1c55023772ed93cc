import Hummingbird

/// An error of the simulated Caddy admin API, answered as Caddy does: `{"error": "..."}` with the status.
struct CaddyAPIError: SimulatedAPIError, HTTPResponseError {
    let status: HTTPResponse.Status
    let message: String

    init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        self.message = message
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        SimulatorJSON.response(SimulatorJSON.encode(["error": message]), status: status)
    }
}
