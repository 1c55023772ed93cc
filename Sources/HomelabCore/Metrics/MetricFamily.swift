/// One metric family of the Prometheus exposition: a name, its help text, its type and its samples.
///
/// Families are built fresh on every collection (never mutated between scrapes), so concurrent scrapes
/// cannot see each other's half-built values and a series that disappeared is not repeated.
public struct MetricFamily: Sendable, Hashable {
    /// The Prometheus metric type (`# TYPE` line).
    public enum Kind: String, Sendable, Hashable {
        /// A value that goes up and down.
        case gauge
        /// A value that only goes up (names end in `_total`).
        case counter
        /// A value whose type is not known.
        case untyped
    }

    /// One labelled value of the family.
    public struct Sample: Sendable, Hashable {
        /// Label names and values, in the order written.
        public var labels: [Label]
        /// The value.
        public var value: Double

        /// A sample with `labels` (name, value pairs, in order) and `value`.
        public init(_ labels: [Label] = [], _ value: Double) {
            self.labels = labels
            self.value = value
        }
    }

    /// One label: a name (`[a-zA-Z_][a-zA-Z0-9_]*`) and any UTF-8 value (escaped when written).
    public struct Label: Sendable, Hashable {
        /// The label's name.
        public var name: String
        /// The label's value.
        public var value: String

        /// A label `name="value"`.
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The family's name (`homelab_up`), base units in it (`_seconds`, `_bytes`).
    public var name: String
    /// What the family measures, one line.
    public var help: String
    /// Gauge, counter or untyped.
    public var kind: Kind
    /// The family's samples.
    public var samples: [Sample]

    /// A family with no samples yet.
    public init(_ name: String, help: String, kind: Kind = .gauge, samples: [Sample] = []) {
        self.name = name
        self.help = help
        self.kind = kind
        self.samples = samples
    }

    /// Appends a sample with labels given as name-value pairs.
    public mutating func add(_ value: Double, _ labels: KeyValuePairs<String, String> = [:]) {
        samples.append(Sample(labels.map { Label($0.key, $0.value) }, value))
    }

    /// Appends a sample with labels given as a list.
    public mutating func add(_ value: Double, labels: [Label]) {
        samples.append(Sample(labels, value))
    }
}

extension Array where Element == MetricFamily {
    /// The families with the same name merged into one (samples in order), in first-seen order; the first
    /// family's help and type win. Collections from several components may each bring part of a family.
    public func mergedByName() -> [MetricFamily] {
        var order: [String] = []
        var byName: [String: MetricFamily] = [:]
        for family in self {
            if var existing = byName[family.name] {
                existing.samples += family.samples
                byName[family.name] = existing
            } else {
                order.append(family.name)
                byName[family.name] = family
            }
        }
        return order.compactMap { byName[$0] }
    }
}
