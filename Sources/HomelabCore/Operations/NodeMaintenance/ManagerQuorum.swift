/// Raft arithmetic for the swarm's managers: how many may be unavailable at once, and which already are.
///
/// A swarm of `m` managers keeps its majority while at most `(m-1)/2` of them are unavailable. A manager counts
/// as unavailable when it is not Ready, the other managers cannot reach it, or it is drained (its maintenance
/// is under way or was left unfinished).
public struct ManagerQuorum: Sendable, Hashable {
    /// Every manager's name.
    public var managers: [String]
    /// The managers that are unavailable right now, each with why (`down`, `unreachable`, `drained`).
    public var unavailable: [String: String]

    /// The quorum as `nodes` show it.
    public init(nodes: [Swarm.Node]) {
        managers = []
        unavailable = [:]
        for node in nodes where Self.isManager(node) {
            let name = node.nodeName
            managers.append(name)
            if let why = Self.unavailability(of: node) { unavailable[name] = why }
        }
    }

    /// How many managers may be unavailable at once: `(m-1)/2`.
    public var tolerance: Int { managers.isEmpty ? 0 : (managers.count - 1) / 2 }

    /// Whether the node takes part in Raft.
    public static func isManager(_ node: Swarm.Node) -> Bool {
        node.spec?.role == .manager || node.managerStatus != nil
    }

    /// Why a manager counts as unavailable, or `nil` when it is Ready, reachable and not drained.
    public static func unavailability(of node: Swarm.Node) -> String? {
        if let state = node.status?.state, state != .ready { return state.rawValue }
        if node.status?.state == nil { return "state unknown" }
        if node.managerStatus?.reachability == .unreachable { return "unreachable" }
        if node.spec?.availability == .drain { return "drained" }
        return nil
    }

    /// Checks that taking `batch` (manager names) down together keeps the majority.
    /// - Throws: ``HomelabError/Code/invalidArgument`` saying how many managers would be unavailable, which ones
    ///   already are, and what to do, unless `allowQuorumLoss` is set.
    public func check(takingDown batch: [String], allowQuorumLoss: Bool) throws {
        guard !batch.isEmpty, !allowQuorumLoss else { return }
        let others = unavailable.keys.filter { !batch.contains($0) }.sorted()
        let total = batch.count + others.count
        guard total > tolerance else { return }
        let names = batch.joined(separator: ", ")
        let advice = "pass allowQuorumLoss (--allow-quorum-loss) to accept that the swarm API and scheduling stop meanwhile"
        if managers.count == 1 {
            throw HomelabError(
                .invalidArgument,
                "\(names) is the swarm's only manager: while it is drained and under maintenance the swarm has no "
                    + "manager and loses its Raft quorum; add managers first, or \(advice)",
                component: "node-maintenance")
        }
        let already = others.isEmpty
            ? ""
            : " (" + others.map { "\($0) is already \(unavailable[$0] ?? "unavailable")" }.joined(separator: ", ") + ")"
        let fix = others.isEmpty ? "maintain fewer managers at once" : "bring \(others.joined(separator: ", ")) back first"
        throw HomelabError(
            .invalidArgument,
            "maintaining \(names) would leave \(total) of \(managers.count) managers unavailable\(already); "
                + "Raft keeps its quorum with at most \(tolerance) unavailable ((\(managers.count)-1)/2): \(fix), or \(advice)",
            component: "node-maintenance")
    }
}
