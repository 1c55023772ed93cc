import Foundation
extension Matchbox {
    /// Which group a machine gets and why, decided as matchbox decides (`server.SelectGroup`): groups ordered by
    /// number of selectors, most first, ties by their sorted `k=v` text in descending order; the first group whose
    /// selectors all equal the request's labels wins; a group without selectors is the default.
    public struct Selection: Sendable, Hashable {
        /// The labels asked with (`mac` normalised).
        public var labels: [String: String]
        /// Every group, in the order matchbox tries them, with what happened to it.
        public var candidates: [Candidate]

        /// One group as matchbox tried it.
        public struct Candidate: Sendable, Hashable {
            /// The group.
            public var group: Group
            /// What happened.
            public var outcome: Outcome
        }

        /// What happened to one group.
        public enum Outcome: Sendable, Hashable {
            /// It matched first: the machine gets it.
            case chosen
            /// It matches too, but a group tried before it (more selectors, or a later `k=v` text) won.
            case outranked(by: String)
            /// A selector differs: `key` wants `wanted`, the request has `actual` (`nil`: no such label).
            case mismatch(key: String, wanted: String, actual: String?)
        }

        /// The group the machine gets, if any.
        public var chosen: Group? { candidates.first { $0.outcome == .chosen }?.group }

        /// Chooses among `groups` for `labels` (keys as sent; `mac` is normalised here).
        public init(groups: [Group], labels: [String: String]) {
            var normalized = labels
            for (key, value) in labels where key.lowercased() == "mac" {
                if let mac = MAC(value) { normalized[key] = mac.description } else { normalized[key] = nil }
            }
            self.labels = normalized
            var winner: String?
            candidates = Self.ordered(groups).map { group in
                if let key = group.selector.keys.sorted().first(where: { normalized[$0] != group.selector[$0] }) {
                    return Candidate(group: group, outcome: .mismatch(key: key, wanted: group.selector[key] ?? "", actual: normalized[key]))
                }
                if let winner { return Candidate(group: group, outcome: .outranked(by: winner)) }
                winner = group.id
                return Candidate(group: group, outcome: .chosen)
            }
        }

        /// `groups` in matchbox's order: more selectors first; equal counts by selector text, descending; then by ID
        /// (matchbox's own order for identical selectors is not defined: validation reports them).
        public static func ordered(_ groups: [Group]) -> [Group] {
            groups.sorted { a, b in
                if a.selector.count != b.selector.count { return a.selector.count > b.selector.count }
                let (sa, sb) = (a.selectorString, b.selectorString)
                if sa != sb { return sa > sb }
                return a.id < b.id
            }
        }

        /// One sentence for people: why the chosen group won, or why none did.
        public var reason: String {
            guard let chosen else {
                let shown = labels.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                return "no group matches \(shown.isEmpty ? "an empty request" : shown) and there is no default group (matchbox answers 404)"
            }
            if chosen.selector.isEmpty {
                return "no group with selectors matches; \(chosen.id) is the default group (no selectors)"
            }
            let outranked = candidates.filter { if case .outranked = $0.outcome { return true } else { return false } }
            var text = "\(chosen.id) matches every selector (\(chosen.selectorString))"
            if !outranked.isEmpty {
                let fewer = outranked.allSatisfy { $0.group.selector.count < chosen.selector.count }
                text += fewer
                    ? " and is more specific than \(outranked.map(\.group.id).joined(separator: ", ")), which also match"
                    : " and ranks before \(outranked.map(\.group.id).joined(separator: ", ")), which also match "
                        + "(more selectors first; equal counts by their k=v text, descending)"
            }
            return text
        }
    }
}
