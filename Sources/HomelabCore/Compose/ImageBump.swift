/// A request to run a service on another image: `sonarr=lscr.io/linuxserver/sonarr:4.0.2` (a whole reference)
/// or `sonarr=4.0.2` (a new tag for the image the service runs now).
public struct ImageBump: Sendable, Hashable, CustomStringConvertible {
    /// What the service should run.
    public enum Target: Sendable, Hashable {
        /// A whole image reference with a tag and/or digest.
        case image(ImageReference)
        /// A new tag for the current repository (any pinned digest is dropped).
        case tag(String)
    }

    /// The service, as the caller names it (compose name or `<stack>_<service>`).
    public var service: String
    /// The new image or tag.
    public var target: Target

    /// A bump value.
    public init(service: String, target: Target) {
        self.service = service
        self.target = target
    }

    /// Reads `service=image:tag`, `service=image@sha256:…` or `service=tag`. A value without `:`, `/` or `@`
    /// is a tag.
    /// - Throws: ``HomelabError/Code/invalidArgument`` saying what is wrong with the text.
    public static func parse(_ text: String) throws -> ImageBump {
        func failure(_ reason: String) -> HomelabError {
            HomelabError(.invalidArgument, "image bump '\(shortened(text))': \(reason)", component: "compose")
        }
        guard let equals = text.firstIndex(of: "=") else {
            throw failure("expected service=image:tag or service=tag")
        }
        let service = String(text[..<equals])
        let value = String(text[text.index(after: equals)...])
        guard !service.isEmpty else { throw failure("the service name before '=' is empty") }
        let serviceCharacters = service.unicodeScalars
        guard serviceCharacters.allSatisfy({ isASCIIAlphanumeric($0) || "-_.".unicodeScalars.contains($0) }),
            serviceCharacters.first.map(isASCIIAlphanumeric) == true
        else {
            throw failure("'\(shortened(service))' is not a service name (letters, digits, '-', '_' and '.')")
        }
        guard !value.isEmpty else { throw failure("the image or tag after '=' is empty") }
        guard !value.contains(where: { $0.isWhitespace }) else { throw failure("the image contains whitespace") }
        if !value.contains(":"), !value.contains("/"), !value.contains("@") {
            guard ImageReference.isTag(Substring(value)) else {
                throw failure(
                    "'\(shortened(value))' is not a valid tag (letters, digits, '_', '.' and '-', at most 128, not starting with '.' or '-')")
            }
            return ImageBump(service: service, target: .tag(value))
        }
        guard let reference = ImageReference(value) else {
            throw failure(
                "'\(shortened(value))' is not a valid image reference (repository:tag or repository@sha256:digest, lower-case repository)")
        }
        guard reference.tag != nil || reference.digest != nil else {
            throw failure("'\(shortened(value))' names no tag or digest; write \(reference.repository):<tag>")
        }
        return ImageBump(service: service, target: .image(reference))
    }

    /// Parses several bumps.
    /// - Throws: ``HomelabError/Code/invalidArgument`` for the first malformed one, or when one service is
    ///   named twice.
    public static func parseAll(_ texts: [String]) throws -> [ImageBump] {
        var seen: Set<String> = []
        return try texts.map { text in
            let bump = try parse(text)
            guard seen.insert(bump.service).inserted else {
                throw HomelabError(
                    .invalidArgument, "image bump: service '\(shortened(bump.service))' is named more than once",
                    component: "compose")
            }
            return bump
        }
    }

    /// The image `current` becomes.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when only a tag was given and `current` is not a
    ///   valid reference.
    public func image(replacing current: String) throws -> String {
        switch target {
        case .image(let reference):
            return reference.description
        case .tag(let tag):
            guard let reference = ImageReference(current) else {
                throw HomelabError(
                    .invalidArgument,
                    "cannot set tag '\(tag)' on service '\(service)': its image '\(Self.shortened(current))' is not a valid reference",
                    component: "compose")
            }
            return "\(reference.repository):\(tag)"
        }
    }

    /// `spec` running the new image; a `com.docker.stack.image` label is updated too.
    /// - Throws: ``HomelabError/Code/invalidArgument`` when the spec has no container image to change.
    public func applied(to spec: Swarm.ServiceSpec) throws -> Swarm.ServiceSpec {
        guard let current = spec.taskTemplate?.containerSpec?.image else {
            throw HomelabError(
                .invalidArgument, "service '\(service)' has no container image to change", component: "compose")
        }
        let image = try image(replacing: current)
        var spec = spec
        spec.taskTemplate?.containerSpec?.image = image
        if spec.labels?[ComposeConverter.imageLabel] != nil { spec.labels?[ComposeConverter.imageLabel] = image }
        return spec
    }

    /// Whether the bump names this service, by compose name or as `<stack>_<service>`.
    public func names(service name: String, stack: String? = nil) -> Bool {
        service == name || stack.map { "\($0)_\(name)" == service } == true
    }

    /// `service=image` or `service=tag`.
    public var description: String {
        switch target {
        case .image(let reference): return "\(service)=\(reference)"
        case .tag(let tag): return "\(service)=\(tag)"
        }
    }

    private static func shortened(_ text: String) -> String {
        text.count > 80 ? String(text.prefix(77)) + "..." : text
    }
}
