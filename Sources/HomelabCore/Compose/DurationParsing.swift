extension Swarm.Nanoseconds {
    /// Parses Go duration text as compose files write it: `10s`, `1m30s`, `500ms`, `1.5h`, `0`.
    ///
    /// Units are `ns`, `us` (`µs`), `ms`, `s`, `m` and `h`; several number-unit pairs add up. Returns `nil`
    /// for anything else, for negative durations (meaningless in a compose file) and on overflow.
    public init?(parsing text: String) {
        var rest = Substring(text)
        if rest.first == "+" { rest = rest.dropFirst() }
        guard !rest.isEmpty else { return nil }
        if rest == "0" {
            self.init(nanoseconds: 0)
            return
        }
        var total: Int64 = 0
        while !rest.isEmpty {
            let whole = rest.prefix { $0.isASCII && $0.isNumber }
            rest = rest.dropFirst(whole.count)
            var fraction = Substring("")
            if rest.first == "." {
                rest = rest.dropFirst()
                fraction = rest.prefix { $0.isASCII && $0.isNumber }
                rest = rest.dropFirst(fraction.count)
            }
            guard !whole.isEmpty || !fraction.isEmpty else { return nil }
            let unitText = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            rest = rest.dropFirst(unitText.count)
            guard let unit = Self.unitNanoseconds[String(unitText)],
                let part = Self.nanoseconds(whole: whole, fraction: fraction, unit: unit)
            else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(part)
            guard !overflow else { return nil }
            total = sum
        }
        self.init(nanoseconds: total)
    }

    private static let unitNanoseconds: [String: Int64] = [
        "ns": 1, "us": 1_000, "µs": 1_000, "μs": 1_000, "ms": 1_000_000, "s": 1_000_000_000,
        "m": 60_000_000_000, "h": 3_600_000_000_000,
    ]

    /// `whole.fraction` units in nanoseconds (the fraction truncated to whole nanoseconds), or `nil` on overflow.
    private static func nanoseconds(whole: Substring, fraction: Substring, unit: Int64) -> Int64? {
        var value: Int64 = 0
        for digit in whole {
            guard let d = digit.wholeNumberValue else { return nil }
            let (times, o1) = value.multipliedReportingOverflow(by: 10)
            let (plus, o2) = times.addingReportingOverflow(Int64(d))
            guard !o1, !o2 else { return nil }
            value = plus
        }
        let (scaled, overflow) = value.multipliedReportingOverflow(by: unit)
        guard !overflow else { return nil }
        // The fraction: digits beyond nanosecond precision cannot matter (unit ≤ 3.6e12 < 10^13).
        var numerator: Int64 = 0
        var denominator: Int64 = 1
        for digit in fraction.prefix(15) {
            guard let d = digit.wholeNumberValue else { return nil }
            numerator = numerator * 10 + Int64(d)
            denominator *= 10
        }
        // numerator < denominator, so the quotient is below `unit` and fits.
        let part = denominator.dividingFullWidth(unit.multipliedFullWidth(by: numerator)).quotient
        let (sum, overflow2) = scaled.addingReportingOverflow(part)
        return overflow2 ? nil : sum
    }
}
