import Foundation
import Testing

/// Golden outputs: `Golden/NAME` holds the expected text after ``normalized(_:)``. With `HOMELAB_UPDATE_GOLDEN=1`
/// the files are written instead of compared (then review the diff).
enum Golden {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Golden")

    /// Compares `text` (normalized) with the golden file `name`.
    static func check(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let actual = normalized(text)
        let url = folder.appendingPathComponent(name)
        if ProcessInfo.processInfo.environment["HOMELAB_UPDATE_GOLDEN"] == "1" {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            try Data(actual.utf8).write(to: url)
            return
        }
        guard let expected = FileManager.default.contents(atPath: url.path).map({ String(decoding: $0, as: UTF8.self) }) else {
            Issue.record("no golden file \(name) (run with HOMELAB_UPDATE_GOLDEN=1 to write it)", sourceLocation: sourceLocation)
            return
        }
        #expect(actual == expected, "golden \(name) differs:\n\(actual)", sourceLocation: sourceLocation)
    }

    /// What varies from run to run replaced by placeholders: ISO 8601 and RFC 3339 times (`<time>`), relative
    /// times (`<ago>`), the simulation's temporary paths and ports, certificate fingerprints (made per run), Docker
    /// IDs (`<id>`).
    static func normalized(_ text: String) -> String {
        var out = text
        let rules: [(String, String)] = [
            (#"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)"#, "<time>"),
            (#"(just now|in \d+ \w+|\d+ (second|minute|hour|day|week|month|year)s? ago)"#, "<ago>"),
            (#"/[^\s"']*homelab-(sim|cli)-[^\s"']*"#, "<tmp>"),
            (#"127\.0\.0\.1:\d+"#, "127.0.0.1:<port>"),
            (#"\b([0-9A-F]{2}:){31}[0-9A-F]{2}\b"#, "<sha256 fingerprint>"),
            (#"\b[a-z0-9]{25}\b"#, "<id>"),
            (#"\b(?=[a-z]*[0-9])[a-z0-9]{12}\b"#, "<id12>"),
            (#""elapsed_seconds" : [0-9.e-]+"#, #""elapsed_seconds" : <seconds>"#),
            (#" {2,}"#, "  "),
        ]
        for (pattern, replacement) in rules {
            out = out.replacingOccurrences(of: pattern, with: replacement, options: .regularExpression)
        }
        return out
    }
}
