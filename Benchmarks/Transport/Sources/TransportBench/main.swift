// transport-bench URL COUNT CONCURRENCY [LINGER_MICROSECONDS]
// Sends COUNT GETs of URL through HomelabCore's CurlTransport with CONCURRENCY tasks in flight,
// checks every answer is 200 with the expected length, and prints "requests seconds req/s".
// LINGER_MICROSECONDS sets CurlTransport.Configuration.linger (its default when absent).
// With ON_TRANSPORT_THREAD=1 in the environment the tasks run on the transport's own thread
// (withTaskExecutorPreference(transport.executor)): no hand-off between a task's thread and the transport's.
import Foundation
import HomelabCore
import Synchronization

let args = CommandLine.arguments
guard (4...5).contains(args.count), let count = Int(args[2]), let concurrency = Int(args[3]),
    args.count == 4 || Int(args[4]) != nil
else {
    FileHandle.standardError.write(Data("usage: transport-bench URL COUNT CONCURRENCY [LINGER_MICROSECONDS]\n".utf8))
    exit(2)
}
let url = args[1]
guard let split = url.firstIndex(of: "/", after: 8) else { exit(2) }
let base = String(url[..<split])
let path = String(url[split...])

var configuration = CurlTransport.Configuration()
if args.count == 5, let microseconds = Int(args[4]) { configuration.linger = .microseconds(microseconds) }
let transport = try CurlTransport(configuration: configuration)
let client = HTTPClient(transport: transport, endpoint: .url(base), component: "bench", middleware: [])
// Warm-up: one request to learn the expected size and open the connection.
let expected = try await client.send(HTTPRequest(path: path)).body.count
let next = Atomic<Int>(0)
let failures = Atomic<Int>(0)

let onThread = ProcessInfo.processInfo.environment["ON_TRANSPORT_THREAD"] == "1"

let start = ContinuousClock.now
try await withTaskExecutorPreference(onThread ? transport.executor : nil) {
    try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<concurrency {
            group.addTask {
                while true {
                    let i = next.add(1, ordering: .relaxed).oldValue
                    if i >= count { return }
                    let response = try await client.send(HTTPRequest(path: path))
                    if response.status != 200 || response.body.count != expected { failures.add(1, ordering: .relaxed) }
                }
            }
        }
        try await group.waitForAll()
    }
}
let seconds = (ContinuousClock.now - start).seconds
if failures.load(ordering: .relaxed) > 0 {
    FileHandle.standardError.write(Data("\(failures.load(ordering: .relaxed)) bad answers\n".utf8))
    exit(1)
}
print(String(format: "%d %.4f %.0f", count, seconds, Double(count) / seconds))

extension String {
    func firstIndex(of c: Character, after offset: Int) -> String.Index? {
        guard count > offset else { return nil }
        return self[index(startIndex, offsetBy: offset)...].firstIndex(of: c)
    }
}
