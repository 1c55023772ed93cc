/// The candidate closest to `text` when it looks like a typo of it (for "did you mean" hints).
///
/// Uses the optimal-string-alignment distance (a swap of two neighbours counts once) and accepts one edit
/// for short words, two for words of five characters or more. Ties go to the earlier candidate.
func closestMatch(to text: String, in candidates: [String]) -> String? {
    let source = Array(text.lowercased())
    guard !source.isEmpty, source.count <= 64 else { return nil }
    var best: (candidate: String, distance: Int)?
    for candidate in candidates where candidate != text {
        let distance = editDistance(source, Array(candidate.lowercased()))
        let allowed = min(source.count, candidate.count) >= 5 ? 2 : 1
        guard distance <= allowed else { continue }
        if best == nil || distance < best?.distance ?? Int.max { best = (candidate, distance) }
    }
    return best?.candidate
}

/// Optimal string alignment distance between two character arrays.
func editDistance(_ a: [Character], _ b: [Character]) -> Int {
    if a.isEmpty { return b.count }
    if b.isEmpty { return a.count }
    var previousPrevious = [Int](repeating: 0, count: b.count + 1)
    var previous = Array(0...b.count)
    var current = [Int](repeating: 0, count: b.count + 1)
    for i in 1...a.count {
        current[0] = i
        for j in 1...b.count {
            let cost = a[i - 1] == b[j - 1] ? 0 : 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                current[j] = min(current[j], previousPrevious[j - 2] + 1)
            }
        }
        (previousPrevious, previous, current) = (previous, current, previousPrevious)
    }
    return previous[b.count]
}
