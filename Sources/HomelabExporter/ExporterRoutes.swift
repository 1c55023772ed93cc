import CompressNIO
import Foundation
import HomelabCore
import Hummingbird

/// The exporter's HTTP routes: `/metrics`, `/probe?target=`, `/healthz` and a landing page at `/`.
enum ExporterRoutes {
    /// The time taken off the scraper's timeout so the answer arrives before it gives up.
    static let timeoutOffset = 0.5
    /// The deadline without `X-Prometheus-Scrape-Timeout-Seconds`.
    static let defaultTimeout = 10.0

    static func router(_ exporter: Exporter) -> Router<BasicRequestContext> {
        let router = Router()
        router.get("/") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/html; charset=utf-8"],
                body: ResponseBody(byteBuffer: ByteBuffer(string: landingPage(targets: exporter.collector.targets))))
        }
        router.get("/healthz") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: "ok\n")))
        }
        router.get("/metrics") { request, _ in
            let families = await exporter.metrics(deadline: deadline(for: request))
            return exposition(families, request: request)
        }
        router.get("/probe") { request, _ in
            guard let target = request.uri.queryParameters.get("target"), !target.isEmpty else {
                return plain(.badRequest, "give the component to probe: /probe?target=COMPONENT\n")
            }
            guard let families = await exporter.probe(target: target, deadline: deadline(for: request)) else {
                let known = exporter.collector.targets.joined(separator: ", ")
                return plain(.badRequest, "unknown target '\(target)': the configuration has \(known)\n")
            }
            return exposition(families, request: request)
        }
        return router
    }

    /// Now plus the scraper's timeout minus ``timeoutOffset`` (``defaultTimeout`` without the header).
    static func deadline(for request: Request) -> ContinuousClock.Instant {
        var seconds = defaultTimeout
        let header = request.headers.first { $0.name.canonicalName == "x-prometheus-scrape-timeout-seconds" }
        if let value = header.flatMap({ Double($0.value) }), value > 0 {
            seconds = max(0.1, value - timeoutOffset)
        }
        return .now + .milliseconds(Int64(seconds * 1000))
    }

    /// The text format, gzipped when the scraper accepts it.
    static func exposition(_ families: [MetricFamily], request: Request) -> Response {
        var buffer = ByteBuffer(bytes: MetricsText.encode(families))
        var headers: HTTPFields = [.contentType: MetricsText.contentType]
        if acceptsGzip(request.headers[.acceptEncoding]), let zipped = try? buffer.compress(with: .gzip()) {
            headers[.contentEncoding] = "gzip"
            buffer = zipped
        }
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: buffer))
    }

    /// Whether an `Accept-Encoding` value allows gzip (`gzip` or `*`, without `q=0`).
    static func acceptsGzip(_ header: String?) -> Bool {
        guard let header else { return false }
        for part in header.split(separator: ",") {
            let fields = part.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
            guard let coding = fields.first, coding == "gzip" || coding == "*" else { continue }
            let refused = fields.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "").hasPrefix("q=0") && Double($0.dropFirst(2)) == 0 }
            if !refused { return true }
        }
        return false
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: ResponseBody(byteBuffer: ByteBuffer(string: text)))
    }

    static func landingPage(targets: [String]) -> String {
        let probes = targets.map { "<li><a href=\"/probe?target=\($0)\">\($0)</a></li>" }.joined()
        return """
            <!DOCTYPE html>
            <html><head><title>homelab-exporter</title></head><body>
            <h1>homelab-exporter \(HomelabVersion.string)</h1>
            <p><a href="/metrics">/metrics</a>: every component and the exporter's own metrics, in one scrape.</p>
            <p>/probe?target=COMPONENT: one component (multi-target pattern):</p><ul>\(probes)</ul>
            <p><a href="/healthz">/healthz</a></p>
            </body></html>

            """
    }
}
