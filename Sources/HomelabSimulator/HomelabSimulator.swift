import HomelabCore

/// A whole homelab simulated on loopback: the APIs of every component, answering as the official specs say.
public enum HomelabSimulatorInfo {
    /// The version of the simulated world's format.
    public static let version = HomelabVersion.string
}
