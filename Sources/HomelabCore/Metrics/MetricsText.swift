/// Writes metric families in the Prometheus text exposition format, version 0.0.4.
///
/// Every family gets its `# HELP` and `# TYPE` lines; help text escapes `\` and newlines, label values escape
/// `\`, `"` and newlines; values are written as Go writes them (`+Inf`, `-Inf`, `NaN`, integers without a
/// fraction). Families are written once each: callers merge same-named families first
/// (``Swift/Array/mergedByName()``).
public enum MetricsText {
    /// The `Content-Type` of this format.
    public static let contentType = "text/plain; version=0.0.4; charset=utf-8"

    /// The exposition of `families`, as UTF-8 bytes.
    public static func encode(_ families: [MetricFamily]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(families.reduce(0) { $0 + 128 + $1.samples.count * 96 })
        for family in families {
            append("# HELP ", to: &out)
            append(family.name, to: &out)
            out.append(0x20)
            appendEscaped(family.help, quotes: false, to: &out)
            out.append(0x0A)
            append("# TYPE ", to: &out)
            append(family.name, to: &out)
            out.append(0x20)
            append(family.kind.rawValue, to: &out)
            out.append(0x0A)
            for sample in family.samples {
                append(family.name, to: &out)
                if !sample.labels.isEmpty {
                    out.append(UInt8(ascii: "{"))
                    for (index, label) in sample.labels.enumerated() {
                        if index > 0 { out.append(UInt8(ascii: ",")) }
                        append(label.name, to: &out)
                        append("=\"", to: &out)
                        appendEscaped(label.value, quotes: true, to: &out)
                        out.append(UInt8(ascii: "\""))
                    }
                    out.append(UInt8(ascii: "}"))
                }
                out.append(0x20)
                append(format(sample.value), to: &out)
                out.append(0x0A)
            }
        }
        return out
    }

    /// The exposition of `families` as text.
    public static func string(_ families: [MetricFamily]) -> String {
        String(decoding: encode(families), as: UTF8.self)
    }

    /// A value as the format writes it.
    public static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value == .infinity { return "+Inf" }
        if value == -.infinity { return "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return "\(value)"
    }

    private static func append(_ text: String, to out: inout [UInt8]) {
        out.append(contentsOf: text.utf8)
    }

    /// Escapes `\` and newline (and `"` inside label values).
    private static func appendEscaped(_ text: String, quotes: Bool, to out: inout [UInt8]) {
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "\\"): out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\\")])
            case 0x0A: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "n")])
            case UInt8(ascii: "\"") where quotes: out.append(contentsOf: [UInt8(ascii: "\\"), UInt8(ascii: "\"")])
            default: out.append(byte)
            }
        }
    }
}
