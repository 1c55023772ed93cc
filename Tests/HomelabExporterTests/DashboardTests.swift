import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// The metric names a Grafana dashboard's queries use.
enum DashboardQueries {
    static let path = SimulatedCollection.repositoryRoot.appendingPathComponent("Examples/grafana/homelab.json").path

    /// Every `expr` in the dashboard's panels.
    static func expressions() throws -> [String] {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let json = try JSONSerialization.jsonObject(with: data)
        var found: [String] = []
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                for (key, inner) in object {
                    if key == "expr", let text = inner as? String { found.append(text) } else { walk(inner) }
                }
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(json)
        return found
    }

    /// The metric names in `expression`: identifiers before a selector or range (`name{`, `name[`), and every
    /// `homelab_`/`process_` identifier; label matchers and strings are left out.
    static func metricNames(in expression: String) -> Set<String> {
        let withoutStrings = expression.replacingOccurrences(of: #""[^"]*""#, with: "\"\"", options: .regularExpression)
        let withoutMatchers = withoutStrings.replacingOccurrences(of: #"\{[^}]*\}"#, with: "{}", options: .regularExpression)
        var names = Set<String>()
        let identifier = try? NSRegularExpression(pattern: #"[a-zA-Z_:][a-zA-Z0-9_:]*"#)
        let text = withoutMatchers as NSString
        for match in identifier?.matches(in: withoutMatchers, range: NSRange(location: 0, length: text.length)) ?? [] {
            let name = text.substring(with: match.range)
            let after = match.range.location + match.range.length
            let next = after < text.length ? text.substring(with: NSRange(location: after, length: 1)) : ""
            if name.hasPrefix("homelab_") || name.hasPrefix("process_") || next == "{" || next == "[" { names.insert(name) }
        }
        return names
    }
}

@Suite("The example Grafana dashboard")
struct DashboardTests {
    @Test("parses and every query uses only metrics the exporter exports")
    func queriesUseExportedMetrics() async throws {
        let expressions = try DashboardQueries.expressions()
        #expect(expressions.count >= 10)
        let folder = try TemporaryFolder()
        let journal = try StateStore(path: folder.file("state.sqlite")).rolloutJournal
        let sim = try await SimulatedCollection.start(journal: journal)
        let families = await sim.collector.collectAll(deadline: .now + .seconds(10))
        await sim.stop()
        let exported = Set(families.map(\.name) + ProcessMetrics().families().map(\.name))
            .union(["homelab_exporter_build_info", "homelab_exporter_scrapes_total", "homelab_exporter_collections_total"])
        for expression in expressions {
            let names = DashboardQueries.metricNames(in: expression)
            #expect(!names.isEmpty, "\(expression) names no metric")
            #expect(names.isSubset(of: exported), "\(expression) uses \(names.subtracting(exported).sorted())")
        }
    }

    @Test("metric names are found in selectors, ranges and arithmetic, not in label matchers")
    func extraction() {
        #expect(DashboardQueries.metricNames(in: #"rate(homelab_collection_errors_total{reason="timeout"}[5m])"#) == ["homelab_collection_errors_total"])
        #expect(DashboardQueries.metricNames(in: #"up{job="x"} - homelab_up"#) == ["up", "homelab_up"])
        #expect(DashboardQueries.metricNames(in: "sum by (tier) (homelab_swarm_service_replicas_running)") == ["homelab_swarm_service_replicas_running"])
    }
}
