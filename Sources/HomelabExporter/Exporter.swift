import Foundation
import HomelabCore

/// The exporter's state between scrapes: the collector (with its open clients and error counters), one
/// collection in flight per target shared by concurrent scrapes, and the exporter's own counters.
final class Exporter: Sendable {
    let collector: HomelabCollector
    /// `homelab check`'s gauges, evaluated at most once per `--check-interval`; nil when disabled.
    let checks: CheckMetrics?
    /// `homelab drift`'s gauges, evaluated at most once per `--drift-interval`; nil when disabled.
    let drifts: DriftMetrics?
    private let flights = SingleFlight<[MetricFamily]>()
    private let process = ProcessMetrics()
    private let scrapes = Locked<[String: Int]>([:])

    init(collector: HomelabCollector, checks: CheckMetrics? = nil, drifts: DriftMetrics? = nil) {
        self.collector = collector
        self.checks = checks
        self.drifts = drifts
    }

    /// The full exposition for `/metrics`: every component, then the exporter's own metrics.
    func metrics(deadline: ContinuousClock.Instant) async -> [MetricFamily] {
        count("metrics")
        let collector = self.collector
        async let checked = checks?.families(deadline: deadline) ?? []
        async let drifted = drifts?.families(deadline: deadline) ?? []
        let families = await flights.run("/metrics") { await collector.collectAll(deadline: deadline) }
        return families + (await checked) + (await drifted) + selfFamilies(collections: await flights.started)
    }

    /// One component's exposition for `/probe?target=`; `nil` for a target not in the configuration.
    func probe(target: String, deadline: ContinuousClock.Instant) async -> [MetricFamily]? {
        guard collector.targets.contains(target) else { return nil }
        count("probe")
        let collector = self.collector
        return await flights.run("probe:" + target) { await collector.collectOne(target: target, deadline: deadline) ?? [] }
    }

    private func count(_ endpoint: String) {
        scrapes.withLock { $0[endpoint, default: 0] += 1 }
    }

    /// Build info, scrape counters and the process metrics.
    private func selfFamilies(collections: Int) -> [MetricFamily] {
        var info = MetricFamily("homelab_exporter_build_info", help: "The exporter's version (value 1).")
        info.add(1, ["version": HomelabVersion.string])
        var requests = MetricFamily(
            "homelab_exporter_scrapes_total", help: "Scrapes served since the exporter started, by endpoint.", kind: .counter)
        let counts = scrapes.withLock { $0 }
        for endpoint in ["metrics", "probe"] { requests.add(Double(counts[endpoint] ?? 0), ["endpoint": endpoint]) }
        let started = MetricFamily(
            "homelab_exporter_collections_total", help: "Collections run since the exporter started (concurrent scrapes share one).",
            kind: .counter, samples: [.init([], Double(collections))])
        return [info, requests, started] + process.families()
    }
}
