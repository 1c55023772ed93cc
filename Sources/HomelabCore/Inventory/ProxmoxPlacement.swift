extension Homelab.Node {
    /// Where a `proxmox-vm` node lives on Proxmox VE: the inventory's `proxmox: {node, vmid, template}` block.
    public struct ProxmoxPlacement: Sendable, Hashable {
        /// The Proxmox node that hosts the VM (`pve1`).
        public var node: String
        /// The VM's ID.
        public var vmid: Int
        /// The template VM it is cloned from when it is provisioned, if any.
        public var template: Int?

        /// A placement value.
        public init(node: String, vmid: Int, template: Int? = nil) {
            self.node = node
            self.vmid = vmid
            self.template = template
        }
    }
}

extension InventoryDecoder {
    /// `proxmox: {node, vmid, template}` on a `proxmox-vm` node; `nil` after a reported problem.
    func proxmoxPlacement(_ value: YAMLValue) -> Homelab.Node.ProxmoxPlacement? {
        guard let fields = reader.fields(value, allowed: ["node", "vmid", "template"], required: ["node", "vmid"]) else {
            return nil
        }
        let node = reader.name(fields["node"], of: "Proxmox node")
        let vmid = reader.int(fields["vmid"], in: 100...999_999_999, what: "a VM ID")
        let template = fields["template"].flatMap { reader.int($0, in: 100...999_999_999, what: "a template VM ID") }
        guard let node, let vmid, fields["template"] == nil || template != nil else { return nil }
        return Homelab.Node.ProxmoxPlacement(node: node.value, vmid: vmid.value, template: template?.value)
    }
}
