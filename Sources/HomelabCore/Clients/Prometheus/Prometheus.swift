import Foundation

/// Prometheus' HTTP API models (`/api/v1/...`), in the component's own namespace.
public enum Prometheus {
    /// The envelope every `/api/v1` answer has: `{"status": "success", "data": ...}` or `{"status": "error",
    /// "errorType": ..., "error": ...}`.
    public struct Envelope<Payload: Decodable & Sendable>: Decodable, Sendable {
        /// `success` or `error`.
        public var status: String
        /// The payload, on success.
        public var data: Payload?
        /// The error's class (`bad_data`, `timeout`, ...), on error.
        public var errorType: String?
        /// The error's text, on error.
        public var error: String?
        /// Warnings that came with the answer.
        public var warnings: [String]?
    }

    /// `GET /api/v1/targets`: the scrape targets after relabelling (active) and those relabelling dropped.
    public struct Targets: Codable, Sendable, Hashable {
        /// Targets Prometheus scrapes.
        public var activeTargets: [Target]
        /// Targets relabelling dropped (only their discovered labels).
        public var droppedTargets: [DroppedTarget]?
    }

    /// One scrape target.
    public struct Target: Codable, Sendable, Hashable {
        /// Labels before relabelling.
        public var discoveredLabels: [String: String]?
        /// Labels after relabelling (`job`, `instance`, ...).
        public var labels: [String: String]
        /// The scrape pool (the job's name, usually).
        public var scrapePool: String?
        /// The URL scraped.
        public var scrapeUrl: String?
        /// The URL as seen from outside, per `--web.external-url`.
        public var globalUrl: String?
        /// The last scrape's error, empty when it worked.
        public var lastError: String?
        /// When it was last scraped (RFC 3339).
        public var lastScrape: String?
        /// How long the last scrape took, in seconds.
        public var lastScrapeDuration: Double?
        /// `up`, `down` or `unknown` (not scraped yet); kept as written, since `unknown` is one of Prometheus' own values.
        public var health: String
        /// The scrape interval (`30s`).
        public var scrapeInterval: String?
        /// The scrape timeout (`10s`).
        public var scrapeTimeout: String?

        /// A target (for tests and simulators).
        public init(labels: [String: String], scrapePool: String?, scrapeUrl: String?, health: String, lastError: String? = nil) {
            self.labels = labels
            self.scrapePool = scrapePool
            self.scrapeUrl = scrapeUrl
            self.health = health
            self.lastError = lastError
        }

        /// The `job` label.
        public var job: String? { labels["job"] }
        /// Whether the last scrape worked.
        public var isUp: Bool { health == "up" }
        /// The `instance` label.
        public var instance: String? { labels["instance"] }
    }

    /// A dropped target.
    public struct DroppedTarget: Codable, Sendable, Hashable {
        /// Its labels before relabelling.
        public var discoveredLabels: [String: String]?
    }
}
