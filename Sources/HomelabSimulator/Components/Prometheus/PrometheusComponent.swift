import Foundation
import HomelabCore
import Hummingbird

/// The simulated Prometheus (the `monitoring` stack's, published on barbary): the read-only parts of its HTTP API
/// that the SDK uses, in the shapes of <https://prometheus.io/docs/prometheus/latest/querying/api/> —
/// `GET /api/v1/targets?state=active|dropped|any&scrapePool=`, `GET /api/v1/status/buildinfo`, `GET /api/v1/query`
/// for `up` only, `/-/healthy` and `/-/ready`.
///
/// Its targets are read from the simulated swarm on every request, as `dockerswarm_sd_configs` with a `keep` rule
/// on the `prometheus.scrape=true` label would: each labelled service is an active target (job = its inventory name,
/// instance `tasks.<name>:<prometheus.port>`), every other service a dropped one. Every target is up except
/// ``SimulatedFindings/unscrapedService``'s, which is down with `connection refused` (a `homelab check` finding).
struct PrometheusComponent: SimulatedComponent {
    /// The swarm the targets come from (none: no targets).
    let swarm: DockerWorld?
    let clock: SimulatedClock

    var kind: ComponentKind { .prometheus }

    static func make(_ setup: ComponentSetup, swarm: DockerWorld?) async throws -> PrometheusComponent {
        PrometheusComponent(swarm: swarm, clock: setup.clock)
    }

    func addRoutes(to router: Router<SimulatorRequestContext>) {
        PrometheusRoutes(swarm: swarm, clock: clock).add(to: router)
    }

    /// Prometheus' API error shape, `{"status":"error","errorType":...,"error":...}`.
    func errorResponse(status: HTTPResponse.Status, message: String) -> Response {
        PrometheusRoutes.error(status, type: status == .badRequest ? "bad_data" : status == .serviceUnavailable ? "unavailable" : "internal", message)
    }

    func inventoryEndpoint(_ listening: ComponentListening) -> ComponentEndpoint {
        ComponentEndpoint(kind: .prometheus, endpoint: listening.urlEndpoint)
    }

    func shutdown() async {}
}

/// The routes of ``PrometheusComponent``.
struct PrometheusRoutes: Sendable {
    let swarm: DockerWorld?
    let clock: SimulatedClock

    /// The version `/api/v1/status/buildinfo` reports (the example inventory's image).
    static let version = "3.5.0"
    /// The label a swarm service asks to be scraped with, and the one naming its metrics port.
    static let scrapeLabel = HomelabCheck.scrapeLabel
    static let portLabel = "prometheus.port"
    static let scrapeInterval = "30s"
    static let scrapeTimeout = "10s"

    func add(to router: Router<SimulatorRequestContext>) {
        router.get("-/healthy") { _, _ -> Response in Self.text("Prometheus Server is Healthy.\n") }
        router.get("-/ready") { _, _ -> Response in Self.text("Prometheus Server is Ready.\n") }
        router.get("api/v1/status/buildinfo") { _, _ -> Response in
            Self.success(.object([
                "version": .string(Self.version), "revision": .string("simulated"), "branch": .string("HEAD"),
                "buildUser": .string("homelab-sim"), "buildDate": .string("20250714-00:00:00"), "goVersion": .string("go1.24.5"),
            ]))
        }
        router.get("api/v1/targets") { request, _ -> Response in try await targets(request) }
        router.get("api/v1/query") { request, _ -> Response in try await instantQuery(request) }
        // `/` redirects to the query page, as Prometheus' web UI does (clients probe it for reachability).
        router.get("/") { _, _ -> Response in Response(status: .found, headers: [.location: "/query"]) }
        router.get("query") { _, _ -> Response in
            MatchboxRoutes.text("<!doctype html><title>Prometheus (simulated)</title>\n", contentType: "text/html; charset=utf-8")
        }
    }

    /// `/api/v1/targets`: as Prometheus' `targets` handler, `state` is lowercased and anything but `active`,
    /// `dropped` or `any` (or nothing) matches neither list; `scrapePool` keeps one pool's targets.
    private func targets(_ request: Request) async throws -> Response {
        let query = MatchboxRoutes.query(request)
        let state = (query.last { $0.0 == "state" }?.1 ?? "").lowercased()
        let pool = query.last { $0.0 == "scrapePool" }?.1
        var (active, dropped) = await Self.targets(swarm: swarm, now: clock.now())
        if let pool, !pool.isEmpty {
            active = active.filter { $0.field("scrapePool") == pool }
            dropped = dropped.filter { _ in pool == "dockerswarm" }
        }
        let showActive = ["", "any", "active"].contains(state), showDropped = ["", "any", "dropped"].contains(state)
        return Self.success(.object([
            "activeTargets": .array(showActive ? active : []), "droppedTargets": .array(showDropped ? dropped : []),
            "droppedTargetCounts": .object(showDropped && !dropped.isEmpty ? ["dockerswarm": .integer(Int64(dropped.count))] : [:]),
        ]))
    }

    /// `/api/v1/query`: only `up` is evaluated (1 per active target that is up, 0 per one that is down); no query is
    /// Prometheus' own `bad_data` error, any other expression a `bad_data` error saying what the simulator evaluates.
    private func instantQuery(_ request: Request) async throws -> Response {
        let expression = (MatchboxRoutes.query(request).last { $0.0 == "query" }?.1 ?? "").trimmingCharacters(in: .whitespaces)
        guard !expression.isEmpty else {
            return Self.error(.badRequest, type: "bad_data", "invalid parameter \"query\": 1:1: parse error: no expression found in input")
        }
        guard expression == "up" else {
            return Self.error(.badRequest, type: "bad_data", "invalid parameter \"query\": the simulated Prometheus evaluates only `up`")
        }
        let now = clock.now().timeIntervalSince1970
        let (active, _) = await Self.targets(swarm: swarm, now: clock.now())
        let samples: [JSONValue] = active.map { target in
            guard case .object(let fields) = target, case .object(var labels)? = fields["labels"] else { return .null }
            labels["__name__"] = .string("up")
            return .object(["metric": .object(labels), "value": .array([.number(now), .string(target.field("health") == "up" ? "1" : "0")])])
        }
        return Self.success(.object(["resultType": .string("vector"), "result": .array(samples)]))
    }

    /// The active and dropped targets for the swarm's services as they are now.
    static func targets(swarm: DockerWorld?, now: Date) async -> (active: [JSONValue], dropped: [JSONValue]) {
        guard let swarm, let bytes = try? await swarm.listServices(filters: nil, status: false),
            let services = try? JSONDecoder().decode([Swarm.Service].self, from: Data(bytes))
        else { return ([], []) }
        var active: [JSONValue] = []
        var dropped: [JSONValue] = []
        let scraped = now.addingTimeInterval(-7).formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt))
        for service in services.sorted(by: { ($0.spec?.name ?? "") < ($1.spec?.name ?? "") }) {
            guard let spec = service.spec, let swarmName = spec.name else { continue }
            let labels = spec.labels ?? [:]
            let stack = labels["com.docker.stack.namespace"]
            let name = stack.map { swarmName.hasPrefix($0 + "_") ? String(swarmName.dropFirst($0.count + 1)) : swarmName } ?? swarmName
            let port = labels[portLabel].flatMap { Int($0) } ?? 80
            let address = "tasks.\(name):\(port)"
            var discovered: [String: JSONValue] = [
                "__address__": .string(address), "__meta_dockerswarm_service_name": .string(swarmName),
                "__meta_dockerswarm_service_id": .string(service.id ?? ""), "__metrics_path__": .string("/metrics"),
                "__scheme__": .string("http"), "__scrape_interval__": .string(scrapeInterval),
                "__scrape_timeout__": .string(scrapeTimeout), "job": .string("dockerswarm"),
            ]
            for (key, value) in labels { discovered["__meta_dockerswarm_service_label_\(Self.sanitized(key))"] = .string(value) }
            guard labels[scrapeLabel] == "true" else {
                dropped.append(.object(["discoveredLabels": .object(discovered)]))
                continue
            }
            let url = "http://\(address)/metrics"
            let down = name == SimulatedFindings.unscrapedService
            active.append(.object([
                "discoveredLabels": .object(discovered),
                "labels": .object(["instance": .string(address), "job": .string(name)]),
                "scrapePool": .string(name), "scrapeUrl": .string(url), "globalUrl": .string(url),
                "lastError": .string(down ? "Get \"\(url)\": dial tcp \(address): connect: connection refused" : ""),
                "lastScrape": .string(scraped), "lastScrapeDuration": .number(down ? 0.000_412 : 0.004_21),
                "health": .string(down ? "down" : "up"),
                "scrapeInterval": .string(scrapeInterval), "scrapeTimeout": .string(scrapeTimeout),
            ]))
        }
        return (active, dropped)
    }

    /// A label name as Prometheus' service discovery writes it: anything outside `[a-zA-Z0-9_]` becomes `_`.
    static func sanitized(_ key: String) -> String {
        String(key.unicodeScalars.map { ($0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "_")) ? Character($0) : "_" })
    }

    /// `{"status":"success","data":...}`.
    static func success(_ data: JSONValue) -> Response {
        SimulatorJSON.response(JSONValue.object(["status": .string("success"), "data": data]))
    }

    /// `{"status":"error","errorType":...,"error":...}`.
    static func error(_ status: HTTPResponse.Status, type: String, _ message: String) -> Response {
        SimulatorJSON.response(
            JSONValue.object(["status": .string("error"), "errorType": .string(type), "error": .string(message)]), status: status)
    }

    /// A plain-text answer.
    static func text(_ body: String) -> Response {
        MatchboxRoutes.text(body)
    }
}

extension JSONValue {
    /// The string field `name` of an object.
    fileprivate func field(_ name: String) -> String? {
        guard case .object(let fields) = self, case .string(let text)? = fields[name] else { return nil }
        return text
    }
}
