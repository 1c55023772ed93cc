import Foundation

extension StateStore {
    /// The folder below the XDG state directory that holds the homelab's state.
    public static let stateFolderName = "homelab"
    /// The file name of the SQLite state store.
    public static let fileName = "state.sqlite"

    /// Where the state store lives by default: `$XDG_STATE_HOME/homelab/state.sqlite`, else
    /// `$HOME/.local/state/homelab/state.sqlite`.
    ///
    /// `environment` is the process environment as the caller sees it (HomelabCore never reads it
    /// itself). A relative or empty `XDG_STATE_HOME` is ignored, as the XDG spec requires.
    /// - Throws: ``HomelabError`` `.invalidConfiguration` when neither an absolute `XDG_STATE_HOME`
    ///   nor a `HOME` is set.
    public static func defaultPath(environment: [String: String]) throws -> String {
        let base: String
        if let xdg = environment["XDG_STATE_HOME"], xdg.hasPrefix("/") {
            base = xdg
        } else if let home = environment["HOME"], !home.isEmpty {
            base = (home as NSString).appendingPathComponent(".local/state")
        } else {
            throw HomelabError(
                .invalidConfiguration,
                "cannot place the state store: neither XDG_STATE_HOME (absolute) nor HOME is set; pass a path",
                component: "store")
        }
        return ((base as NSString).appendingPathComponent(stateFolderName) as NSString)
            .appendingPathComponent(fileName)
    }
}
