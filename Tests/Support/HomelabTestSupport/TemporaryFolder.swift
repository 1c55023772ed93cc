import Foundation

/// A fresh temporary folder for one test, removed when the value is dropped.
public final class TemporaryFolder: Sendable {
    /// The folder's path.
    public let path: String

    public init(prefix: String = "homelab-test") throws {
        path = NSTemporaryDirectory() + "\(prefix)-\(UUID().uuidString.prefix(12))"
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// A path inside the folder.
    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    deinit { try? FileManager.default.removeItem(atPath: path) }
}
