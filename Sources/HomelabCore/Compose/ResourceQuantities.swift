/// The quantity formats of a compose file's `resources`: memory sizes and CPU counts.
public enum ResourceQuantity {
    /// Bytes from a Docker memory size, in binary multiples as `docker` reads them: `512M` and `512mb` are
    /// 536870912, `1.5g` is 1610612736, `100` is 100 bytes. Units `k m g t p`, optionally followed by `i`
    /// and/or `b`, any letter case, an optional space before the unit. `nil` for anything else or on overflow.
    public static func bytes(_ text: String) -> Int64? {
        var rest = Substring(text)
        let whole = rest.prefix { $0.isASCII && $0.isNumber }
        guard !whole.isEmpty else { return nil }
        rest = rest.dropFirst(whole.count)
        var fraction = Substring("")
        if rest.first == "." {
            rest = rest.dropFirst()
            fraction = rest.prefix { $0.isASCII && $0.isNumber }
            guard !fraction.isEmpty else { return nil }
            rest = rest.dropFirst(fraction.count)
        }
        if rest.first == " " { rest = rest.dropFirst() }
        var multiplier: Int64 = 1
        if let letter = rest.first, let power = "kmgtp".firstIndex(of: Character(letter.lowercased())) {
            let exponent = "kmgtp".distance(from: "kmgtp".startIndex, to: power) + 1
            multiplier = 1 << (10 * exponent)
            rest = rest.dropFirst()
        }
        if rest.first == "i" || rest.first == "I" { rest = rest.dropFirst() }
        if rest.first == "b" || rest.first == "B" { rest = rest.dropFirst() }
        guard rest.isEmpty, let wholeValue = Int64(whole) else { return nil }
        let (scaled, overflow) = wholeValue.multipliedReportingOverflow(by: multiplier)
        guard !overflow else { return nil }
        guard !fraction.isEmpty else { return scaled }
        var numerator: Int64 = 0
        var denominator: Int64 = 1
        for digit in fraction.prefix(15) {
            numerator = numerator * 10 + Int64(digit.wholeNumberValue ?? 0)
            denominator *= 10
        }
        let part = denominator.dividingFullWidth(multiplier.multipliedFullWidth(by: numerator)).quotient
        let (sum, overflow2) = scaled.addingReportingOverflow(part)
        return overflow2 ? nil : sum
    }

    /// Nano-CPUs from a CPU count such as `0.5` (500000000) or `2`. `nil` for anything but a non-negative
    /// decimal number, or one more precise than 10⁻⁹ CPUs (as `docker` refuses it).
    public static func nanoCPUs(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        guard let wholeText = parts.first, !wholeText.isEmpty || parts.count == 2,
            wholeText.allSatisfy({ $0.isASCII && $0.isNumber })
        else { return nil }
        let fractionText = parts.count == 2 ? parts[1] : ""
        guard fractionText.allSatisfy({ $0.isASCII && $0.isNumber }), !(parts.count == 2 && fractionText.isEmpty)
        else { return nil }
        let significant = fractionText.reversed().drop { $0 == "0" }.reversed()
        guard significant.count <= 9, let whole = Int64(wholeText.isEmpty ? "0" : String(wholeText)) else { return nil }
        let padded = String(significant) + String(repeating: "0", count: 9 - significant.count)
        let (scaled, overflow) = whole.multipliedReportingOverflow(by: 1_000_000_000)
        guard !overflow, let fraction = Int64(padded) else { return nil }
        let (sum, overflow2) = scaled.addingReportingOverflow(fraction)
        return overflow2 ? nil : sum
    }
}
