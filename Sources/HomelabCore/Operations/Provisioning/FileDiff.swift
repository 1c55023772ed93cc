import Foundation
/// A line diff of two small texts (configuration files), shown as unified-diff hunks: what a dry run would change.
public enum FileDiff {
    /// `---`/`+++` headers and hunks with `context` lines around changes; empty when the texts are equal.
    /// `before` `nil` is a new file. Quadratic in lines: meant for files of a few hundred lines.
    public static func unified(_ before: String?, _ after: String, path: String, context: Int = 3) -> String {
        let old = before.map(lines) ?? []
        let new = lines(after)
        guard old != new || before == nil else { return "" }
        let edits = script(old, new)
        var out = ["--- \(before == nil ? "/dev/null" : "a/" + path)", "+++ b/\(path)"]
        var index = 0
        while index < edits.count {
            guard edits[index].kind != .same else {
                index += 1
                continue
            }
            var start = max(0, index - context)
            var end = index
            while end < edits.count {
                if edits[end].kind != .same {
                    end += 1
                    continue
                }
                var run = end
                while run < edits.count, edits[run].kind == .same { run += 1 }
                if run == edits.count || run - end > 2 * context {
                    end = min(edits.count, end + context)
                    break
                }
                end = run
            }
            start = max(0, start)
            let hunk = edits[start..<end]
            let oldStart = (hunk.first?.oldLine ?? 0) + 1
            let newStart = (hunk.first?.newLine ?? 0) + 1
            let oldCount = hunk.filter { $0.kind != .added }.count
            let newCount = hunk.filter { $0.kind != .removed }.count
            out.append("@@ -\(oldCount == 0 ? oldStart - 1 : oldStart),\(oldCount) +\(newCount == 0 ? newStart - 1 : newStart),\(newCount) @@")
            for edit in hunk {
                switch edit.kind {
                case .same: out.append(" " + edit.text)
                case .removed: out.append("-" + edit.text)
                case .added: out.append("+" + edit.text)
                }
            }
            index = end
        }
        return out.joined(separator: "\n") + "\n"
    }

    struct Edit {
        enum Kind { case same, removed, added }
        var kind: Kind
        var text: String
        /// Lines of the old and new text before this one.
        var oldLine: Int
        var newLine: Int
    }

    static func lines(_ text: String) -> [String] {
        var parts = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    /// The shortest edit script by longest common subsequence.
    static func script(_ old: [String], _ new: [String]) -> [Edit] {
        let n = old.count
        let m = new.count
        var table = Array(repeating: Array(repeating: 0, count: m + 1), count: n + 1)
        for i in stride(from: n - 1, through: 0, by: -1) {
            for j in stride(from: m - 1, through: 0, by: -1) {
                table[i][j] = old[i] == new[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < n || j < m {
            if i < n, j < m, old[i] == new[j] {
                edits.append(Edit(kind: .same, text: old[i], oldLine: i, newLine: j))
                i += 1
                j += 1
            } else if i < n, j == m || table[i + 1][j] >= table[i][j + 1] {
                edits.append(Edit(kind: .removed, text: old[i], oldLine: i, newLine: j))
                i += 1
            } else {
                edits.append(Edit(kind: .added, text: new[j], oldLine: i, newLine: j))
                j += 1
            }
        }
        return edits
    }
}
