import Foundation

extension Proxmox {
    /// A task's unique ID, as every asynchronous call returns it:
    /// `UPID:<node>:<pid 8 hex>:<pstart 8 hex>:<starttime 8 hex>:<type>:<id>:<user>:` (`PVE::Tools::upid_encode`).
    ///
    /// The node is where the task runs, so where it is polled.
    public struct UPID: Sendable, Hashable, CustomStringConvertible, Codable {
        /// The UPID as the server wrote it.
        public let rawValue: String
        /// The node the task runs on.
        public let node: String
        /// The worker's process ID.
        public let pid: Int
        /// The worker's process start time (clock ticks since boot).
        public let pstart: Int
        /// When it started (seconds since 1970).
        public let starttime: Int
        /// What it does (`qmstart`, `qmclone`, `qmshutdown`, ...).
        public let type: String
        /// What it acts on (a VMID, or empty).
        public let id: String
        /// Who started it (`root@pam`, `homelab@pve!sdk`).
        public let user: String

        /// Decodes a UPID.
        /// - Throws: ``HomelabError/Code/decodingFailed`` naming the part that is wrong.
        public init(_ text: String) throws {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
            func bad(_ why: String) -> HomelabError {
                HomelabError(.decodingFailed, "'\(text.prefix(120))' is not a Proxmox task ID (UPID): \(why)", component: "proxmox")
            }
            guard parts.count >= 9, parts[0] == "UPID" else { throw bad("expected UPID:node:pid:pstart:starttime:type:id:user:") }
            guard !parts[1].isEmpty else { throw bad("no node") }
            guard let pid = Int(parts[2], radix: 16), let pstart = Int(parts[3], radix: 16),
                let start = Int(parts[4], radix: 16)
            else { throw bad("pid, pstart and starttime must be hexadecimal") }
            rawValue = text
            node = parts[1]
            self.pid = pid
            self.pstart = pstart
            starttime = start
            type = parts[5]
            id = parts[6]
            user = parts[7..<(parts.count - 1)].joined(separator: ":")
        }

        /// Encodes a UPID as `upid_encode` does.
        public init(node: String, pid: Int, pstart: Int, starttime: Int, type: String, id: String, user: String) {
            func hex(_ value: Int, _ width: Int) -> String {
                let text = String(value, radix: 16, uppercase: true)
                return String(repeating: "0", count: max(0, width - text.count)) + text
            }
            rawValue = "UPID:\(node):\(hex(pid, 8)):\(hex(pstart, 8)):\(hex(starttime, 8)):\(type):\(id):\(user):"
            self.node = node
            self.pid = pid
            self.pstart = pstart
            self.starttime = starttime
            self.type = type
            self.id = id
            self.user = user
        }

        /// When the task started.
        public var startDate: Date { Date(timeIntervalSince1970: TimeInterval(starttime)) }

        public var description: String { rawValue }

        /// Reads a UPID string.
        /// - Throws: `DecodingError` when it is not one.
        public init(from decoder: any Decoder) throws {
            let text = try decoder.singleValueContainer().decode(String.self)
            do {
                try self.init(text)
            } catch {
                throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "not a UPID: \(text.prefix(80))"))
            }
        }

        /// Writes the UPID string.
        public func encode(to encoder: any Encoder) throws {
            var container = encoder.singleValueContainer()
            try container.encode(rawValue)
        }
    }
}
