extension Proxmox {
    /// A guest's run state (`status` of a QEMU VM or an LXC container).
    public enum GuestStatus: LenientEnum {
        /// Running.
        case running
        /// Powered off.
        case stopped
        /// Paused (suspended in RAM).
        case paused
        /// A value this SDK does not know yet, kept verbatim.
        case unknown(String)
        /// Every case this SDK knows.
        public static let knownCases: [GuestStatus] = [.running, .stopped, .paused]
        /// The spelling on the wire.
        public var rawValue: String {
            switch self {
            case .running: return "running"
            case .stopped: return "stopped"
            case .paused: return "paused"
            case .unknown(let value): return value
            }
        }
    }

    /// A QEMU VM, as `GET /nodes/{node}/qemu` lists it and `GET .../qemu/{vmid}/status/current` describes it.
    public struct VM: Codable, Sendable, Hashable {
        /// Its ID.
        public var vmid: Int
        /// Its name (a homelab node VM is named after its swarm node).
        public var name: String?
        /// Running or stopped.
        public var status: GuestStatus
        /// QEMU's own view (`running`, `paused`, `prelaunch`, ...).
        public var qmpstatus: String?
        /// CPU utilisation, 0...cpus.
        public var cpu: Double?
        /// CPUs.
        public var cpus: Double?
        /// Memory used, in bytes.
        public var mem: Int64?
        /// Memory, in bytes.
        public var maxmem: Int64?
        /// Root disk size, in bytes.
        public var maxdisk: Int64?
        /// Seconds since it started.
        public var uptime: Int64?
        /// Tags, `;`-separated.
        public var tags: String?
        /// Whether it is a template (clone it, never start it).
        public var template: Bool
        /// The config lock held, if any (`backup`, `clone`, `migrate`, ...).
        public var lock: String?
        /// The QEMU process ID while it runs.
        public var pid: Int?
        /// Bytes received since start.
        public var netin: Int64?
        /// Bytes sent since start.
        public var netout: Int64?
        /// Bytes read from its disks since start.
        public var diskread: Int64?
        /// Bytes written to its disks since start.
        public var diskwrite: Int64?

        private enum CodingKeys: String, CodingKey {
            case vmid, name, status, qmpstatus, cpu, cpus, mem, maxmem, maxdisk, uptime, tags, template, lock, pid, netin,
                netout, diskread, diskwrite
        }

        /// A VM value.
        public init(vmid: Int, name: String?, status: GuestStatus, template: Bool = false) {
            self.vmid = vmid
            self.name = name
            self.status = status
            self.template = template
        }

        /// Reads a VM leniently.
        /// - Throws: `DecodingError` when `vmid` is missing or not a number.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            guard let id = c.proxmoxInt(.vmid) else {
                throw DecodingError.keyNotFound(CodingKeys.vmid, .init(codingPath: c.codingPath, debugDescription: "no vmid"))
            }
            vmid = id
            name = c.proxmoxString(.name)
            status = (try? c.decodeIfPresent(GuestStatus.self, forKey: .status)) ?? .unknown("unknown")
            qmpstatus = c.proxmoxString(.qmpstatus)
            cpu = c.proxmoxDouble(.cpu)
            cpus = c.proxmoxDouble(.cpus)
            mem = c.proxmoxInt64(.mem)
            maxmem = c.proxmoxInt64(.maxmem)
            maxdisk = c.proxmoxInt64(.maxdisk)
            uptime = c.proxmoxInt64(.uptime)
            tags = c.proxmoxString(.tags)
            template = c.proxmoxBool(.template) ?? false
            lock = c.proxmoxString(.lock)
            pid = c.proxmoxInt(.pid)
            netin = c.proxmoxInt64(.netin)
            netout = c.proxmoxInt64(.netout)
            diskread = c.proxmoxInt64(.diskread)
            diskwrite = c.proxmoxInt64(.diskwrite)
        }
    }

    /// An LXC container, as `GET /nodes/{node}/lxc` lists it.
    public struct Container: Codable, Sendable, Hashable {
        /// Its ID.
        public var vmid: Int
        /// Its name.
        public var name: String?
        /// Running or stopped.
        public var status: GuestStatus
        /// CPU utilisation.
        public var cpu: Double?
        /// CPUs.
        public var cpus: Double?
        /// Memory used, in bytes.
        public var mem: Int64?
        /// Memory, in bytes.
        public var maxmem: Int64?
        /// Root disk used, in bytes.
        public var disk: Int64?
        /// Root disk size, in bytes.
        public var maxdisk: Int64?
        /// Seconds since it started.
        public var uptime: Int64?
        /// Whether it is a template.
        public var template: Bool
        /// The config lock held, if any.
        public var lock: String?

        private enum CodingKeys: String, CodingKey {
            case vmid, name, status, cpu, cpus, mem, maxmem, disk, maxdisk, uptime, template, lock
        }

        /// Reads a container leniently.
        /// - Throws: `DecodingError` when `vmid` is missing or not a number.
        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            guard let id = c.proxmoxInt(.vmid) else {
                throw DecodingError.keyNotFound(CodingKeys.vmid, .init(codingPath: c.codingPath, debugDescription: "no vmid"))
            }
            vmid = id
            name = c.proxmoxString(.name)
            status = (try? c.decodeIfPresent(GuestStatus.self, forKey: .status)) ?? .unknown("unknown")
            cpu = c.proxmoxDouble(.cpu)
            cpus = c.proxmoxDouble(.cpus)
            mem = c.proxmoxInt64(.mem)
            maxmem = c.proxmoxInt64(.maxmem)
            disk = c.proxmoxInt64(.disk)
            maxdisk = c.proxmoxInt64(.maxdisk)
            uptime = c.proxmoxInt64(.uptime)
            template = c.proxmoxBool(.template) ?? false
            lock = c.proxmoxString(.lock)
        }
    }
}
