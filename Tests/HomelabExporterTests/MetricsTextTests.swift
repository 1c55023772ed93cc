import Foundation
import HomelabCore
import Testing

@Suite("The text exposition format 0.0.4")
struct MetricsTextTests {
    @Test("every family has HELP and TYPE lines, then its samples")
    func helpAndType() {
        var family = MetricFamily("homelab_up", help: "1 when up.")
        family.add(1, ["component": "docker"])
        family.add(0, ["component": "caddy"])
        let text = MetricsText.string([family])
        #expect(text == """
            # HELP homelab_up 1 when up.
            # TYPE homelab_up gauge
            homelab_up{component="docker"} 1
            homelab_up{component="caddy"} 0

            """)
    }

    @Test("label values escape backslash, quote and newline; help escapes backslash and newline")
    func escaping() {
        var family = MetricFamily("homelab_x_info", help: "a \\ b\nc \"q\"")
        family.add(1, ["image": "a\\b\"c\nd"])
        let text = MetricsText.string([family])
        #expect(text.contains(#"# HELP homelab_x_info a \\ b\nc "q""#))
        #expect(text.contains(#"homelab_x_info{image="a\\b\"c\nd"} 1"#))
    }

    @Test("values are written as Go writes them", arguments: [
        (1.0, "1"), (0.25, "0.25"), (-3.0, "-3"), (Double.infinity, "+Inf"), (-Double.infinity, "-Inf"), (Double.nan, "NaN"),
        (1_700_000_000.5, "1700000000.5"),
    ])
    func values(_ value: Double, _ written: String) {
        #expect(MetricsText.format(value) == written)
    }

    @Test("families with one name from several components are written once")
    func merged() {
        var a = MetricFamily("homelab_up", help: "up")
        a.add(1, ["component": "a"])
        var b = MetricFamily("homelab_up", help: "up")
        b.add(0, ["component": "b"])
        let merged = [a, b].mergedByName()
        #expect(merged.count == 1)
        #expect(merged.first?.samples.count == 2)
        #expect(MetricsText.string(merged).components(separatedBy: "# TYPE").count == 2)
    }
}
