import Foundation
import HomelabCore

/// `homelab-sim --measure`: times `GET /v1.47/services?status=true` through the SDK's HTTP client, over TCP
/// (HTTPS with the run's CA under `--tls docker`).
enum ListingMeasurement {
    /// Lists every service with status 25 times (after 3 warm-up calls) and reports the median and spread.
    /// - Throws: ``HomelabError`` when a request fails.
    static func run(against endpoint: Endpoint, services: Int, samples: Int = 25) async throws -> String {
        let transport = try CurlTransport()
        defer { transport.shutdown() }
        let client = HTTPClient(transport: transport, endpoint: endpoint, component: "docker", middleware: [])
        let request = HTTPRequest(path: "/v1.47/services?status=true")
        var bytes = 0
        for _ in 0..<3 { bytes = try await client.send(request).body.count }
        var times: [Double] = []
        for _ in 0..<samples {
            let start = ContinuousClock.now
            let response = try await client.send(request)
            try client.ensureSuccess(response, for: request)
            times.append((ContinuousClock.now - start).seconds * 1000)
        }
        times.sort()
        let median = times[times.count / 2]
        let p90 = times[min(times.count - 1, times.count * 9 / 10)]
        return String(
            format: "listing %d services with status: median %.1f ms, p90 %.1f ms, min %.1f ms (%d samples, %d bytes)",
            services, median, p90, times[0], samples, bytes)
    }
}
