#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// CPU time used by this process so far, in seconds.
func processCPUSeconds() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) * 1e-9
}

/// Runs `body` and returns its result with the CPU seconds it took.
func measureCPU<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let before = processCPUSeconds()
    let result = try body()
    return (result, processCPUSeconds() - before)
}
