import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The exporter process's own metrics, named as every Prometheus client library names them: resident and virtual
/// memory, CPU seconds, open and maximum file descriptors, start time. Read from `/proc/self` and `getrusage` on
/// Linux; only the CPU and start time elsewhere.
public struct ProcessMetrics: Sendable {
    /// When the process started (Unix time), as the exporter recorded it at launch.
    public let startTime: Double

    /// Metrics for this process, started at `startTime` (default: now).
    public init(startTime: Double = Date().timeIntervalSince1970) {
        self.startTime = startTime
    }

    /// The families, read now.
    public func families() -> [MetricFamily] {
        var families: [MetricFamily] = []
        var usage = rusage()
        if getrusage(RUSAGE_SELF.rawValue, &usage) == 0 {
            let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
            let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
            families.append(MetricFamily(
                "process_cpu_seconds_total", help: "Total user and system CPU time spent in seconds.", kind: .counter,
                samples: [.init([], user + system)]))
        }
        if let pages = Self.statm() {
            let pageSize = Double(sysconf(Int32(_SC_PAGESIZE)))
            families.append(MetricFamily(
                "process_resident_memory_bytes", help: "Resident memory size in bytes.", samples: [.init([], pages.resident * pageSize)]))
            families.append(MetricFamily(
                "process_virtual_memory_bytes", help: "Virtual memory size in bytes.", samples: [.init([], pages.size * pageSize)]))
        }
        if let open = try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd") {
            families.append(MetricFamily("process_open_fds", help: "Number of open file descriptors.", samples: [.init([], Double(open.count))]))
        }
        var limit = rlimit()
        if getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0 {
            families.append(MetricFamily(
                "process_max_fds", help: "Maximum number of open file descriptors.", samples: [.init([], Double(limit.rlim_cur))]))
        }
        families.append(MetricFamily(
            "process_start_time_seconds", help: "Start time of the process since unix epoch in seconds.", samples: [.init([], startTime)]))
        return families
    }

    /// Total and resident size in pages, from `/proc/self/statm`.
    private static func statm() -> (size: Double, resident: Double)? {
        guard let text = try? String(contentsOfFile: "/proc/self/statm", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ")
        guard fields.count >= 2, let size = Double(fields[0]), let resident = Double(fields[1]) else { return nil }
        return (size, resident)
    }
}
