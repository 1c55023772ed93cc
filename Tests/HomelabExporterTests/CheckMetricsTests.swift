import Foundation
import HomelabCore
import HomelabTestSupport
import Testing

/// `homelab_check_findings{rule}`: the check crosses every component, so the exporter evaluates it at most once per
/// interval, whatever the scrapes do.
@Suite("homelab check in the exporter: the gauge and its interval")
struct CheckMetricsTests {
    /// A clock the test moves by hand, and a check that counts its evaluations.
    final class Fixture: Sendable {
        let start = ContinuousClock.now
        let offset = Locked<Duration>(.zero)
        let evaluated = Locked(0)

        func now() -> ContinuousClock.Instant { start + offset.withLock { $0 } }

        func report() -> CheckReport {
            let run = evaluated.withLock { count in
                count += 1
                return count
            }
            return CheckReport(results: [
                CheckRuleResult(
                    rule: .placement, findings: (0..<run).map { CheckFinding(rule: .placement, service: "s\($0)", expected: "e", found: "f", hint: "h") },
                    checked: 3),
                CheckRuleResult(rule: .backups, checked: 2),
                .unknown(.secrets, "1Password Connect: unreachable"),
            ])
        }
    }

    static func value(_ families: [MetricFamily], _ name: String, rule: String) -> Double? {
        families.first { $0.name == name }?.samples.first { $0.labels.contains { $0.name == "rule" && $0.value == rule } }?.value
    }

    @Test("one evaluation per interval: scrapes inside it get the same report, the first after it a new one")
    func interval() async throws {
        let fixture = Fixture()
        let metrics = CheckMetrics(interval: .seconds(300), now: { fixture.now() }) { fixture.report() }
        let deadline = ContinuousClock.now + .seconds(30)
        let first = await metrics.families(deadline: deadline)
        #expect(Self.value(first, "homelab_check_findings", rule: "placement") == 1)
        #expect(Self.value(first, "homelab_check_findings", rule: "backups") == 0)
        #expect(Self.value(first, "homelab_check_findings", rule: "secrets") == nil, "an unknown rule without findings has no count")
        #expect(Self.value(first, "homelab_check_unknown", rule: "secrets") == 1)
        #expect(Self.value(first, "homelab_check_unknown", rule: "placement") == 0)

        fixture.offset.withLock { $0 = .seconds(299) }
        for _ in 0..<5 {
            #expect(Self.value(await metrics.families(deadline: deadline), "homelab_check_findings", rule: "placement") == 1)
        }
        #expect(await metrics.evaluations == 1 && fixture.evaluated.withLock { $0 } == 1)

        fixture.offset.withLock { $0 = .seconds(301) }
        #expect(Self.value(await metrics.families(deadline: deadline), "homelab_check_findings", rule: "placement") == 2)
        #expect(await metrics.evaluations == 2)
    }

    @Test("concurrent scrapes after the interval share one evaluation")
    func concurrentScrapes() async throws {
        let fixture = Fixture()
        let metrics = CheckMetrics(interval: .seconds(60), now: { fixture.now() }) { fixture.report() }
        let deadline = ContinuousClock.now + .seconds(30)
        let counts = await withTaskGroup(of: Double?.self) { group in
            for _ in 0..<8 { group.addTask { Self.value(await metrics.families(deadline: deadline), "homelab_check_findings", rule: "placement") } }
            var counts: [Double?] = []
            for await count in group { counts.append(count) }
            return counts
        }
        #expect(counts == Array(repeating: 1, count: 8))
        #expect(await metrics.evaluations == 1)
    }

    @Test("an evaluation slower than the scrape's deadline: the scrape is answered without it, the next gets it")
    func slowEvaluation() async throws {
        final class Gate: Sendable { let open = Locked(false) }
        let gate = Gate()
        let metrics = CheckMetrics(interval: .seconds(300)) {
            while !gate.open.withLock({ $0 }) { try? await Task.sleep(for: .milliseconds(10)) }
            return CheckReport(results: [CheckRuleResult(rule: .placement, checked: 1)])
        }
        let early = await metrics.families(deadline: .now + .milliseconds(50))
        #expect(early.isEmpty, "no report yet: no gauge, rather than a made-up 0")
        gate.open.withLock { $0 = true }
        let later = await metrics.families(deadline: .now + .seconds(30))
        #expect(Self.value(later, "homelab_check_findings", rule: "placement") == 0)
        #expect(await metrics.evaluations == 1)
    }
}
