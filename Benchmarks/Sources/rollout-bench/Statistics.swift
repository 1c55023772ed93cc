import Foundation

/// Mean and maximum of a series of ratios.
struct Summary {
    private(set) var values: [Double] = []

    mutating func add(_ value: Double) { values.append(value) }
    mutating func add(_ other: Summary) { values += other.values }

    var count: Int { values.count }
    var mean: Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    var max: Double { values.max() ?? .nan }

    /// `mean / max` with three decimals, or `–` when empty.
    var text: String {
        values.isEmpty ? "–" : String(format: "%.3f / %.3f", mean, max)
    }
}

extension Duration {
    var seconds: Double {
        let parts = components
        return Double(parts.seconds) + Double(parts.attoseconds) * 1e-18
    }
}
