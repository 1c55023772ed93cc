/// A secret value (token, API key, password, 1Password field) that never prints itself.
///
/// `description`, `debugDescription`, string interpolation and `dump` all show `<redacted>`.
/// Creating a `Secret` registers its value with ``Redaction`` so that any log line or error text
/// that still contains it (say, echoed back by a server) is masked too. Call ``reveal()`` only at
/// the point where the value leaves the process (an HTTP header, an SSH auth call).
public struct Secret: Sendable, Hashable, CustomStringConvertible, CustomDebugStringConvertible,
    CustomReflectable
{
    private let value: String

    /// Wraps `value` and registers it for masking.
    public init(_ value: String) {
        self.value = value
        Redaction.register(secret: value)
    }

    /// The plain value. Use it only to hand the secret to the wire.
    public func reveal() -> String { value }

    /// Whether the secret is the empty string.
    public var isEmpty: Bool { value.isEmpty }

    public var description: String { Redaction.placeholder }
    public var debugDescription: String { "Secret(\(Redaction.placeholder))" }
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}
