/// One difference between a live and a desired ``ServiceSpec``, with its values already shown as text
/// (secret-like environment variables and labels as `<redacted>`).
public struct FieldChange: Sendable, Hashable, CustomStringConvertible {
    /// How the field differs.
    public enum Kind: Sendable, Hashable {
        /// A value differs (or is present on one side only, for a plain field).
        case changed
        /// An entry of a list or map is only in the desired spec.
        case added
        /// An entry of a list or map is only in the live spec.
        case removed
    }

    /// The dotted field path in Docker's spelling, e.g. `TaskTemplate.ContainerSpec.Image`,
    /// `TaskTemplate.ContainerSpec.Env`, `TaskTemplate.ContainerSpec.Mounts[/config].Source`.
    public var path: String
    /// How it differs.
    public var kind: Kind
    /// The live value as text; `nil` when absent.
    public var old: String?
    /// The desired value as text; `nil` when absent.
    public var new: String?

    /// A change value.
    public init(path: String, kind: Kind, old: String? = nil, new: String? = nil) {
        self.path = path
        self.kind = kind
        self.old = old
        self.new = new
    }

    /// `path: old -> new`, `path[+]: new` or `path[-]: old`; an absent value shows as `(none)`.
    public var description: String {
        switch kind {
        case .changed: return "\(path): \(old ?? "(none)") -> \(new ?? "(none)")"
        case .added: return "\(path)[+]: \(new ?? "")"
        case .removed: return "\(path)[-]: \(old ?? "")"
        }
    }
}
