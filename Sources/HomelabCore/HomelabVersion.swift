/// The SDK's version, shown by every executable's `--version`.
public enum HomelabVersion {
    /// Semantic version of this build.
    public static let string = "0.1.0"
}
