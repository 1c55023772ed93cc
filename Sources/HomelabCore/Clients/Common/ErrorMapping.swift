/// How one component's error answers become ``HomelabError``s: where its message is, and which messages mean
/// something more precise than the status (Docker's "update out of sequence", Proxmox's "VM is locked").
public struct ErrorMapping: Sendable {
    /// What a classifier sees of an error answer.
    public struct Answer: Sendable {
        /// The HTTP status.
        public var status: Int
        /// The server's human message, when the body has one.
        public var message: String?
        /// Where the request went, for explanations (`unix:///var/run/docker.sock`).
        public var endpoint: String
    }

    /// A precise code and explanation for an answer, or `nil` to use the status's code.
    public var classify: @Sendable (Answer) -> (code: HomelabError.Code, explanation: String)?
    /// Finds the server's message in an error body.
    public var message: @Sendable ([UInt8]) -> String?

    /// A mapping with a classifier; messages are found in `{"message"}`, `{"error"}`, `{"detail"}`, `{"errors"}`,
    /// `{"reason"}` or plain text unless `message` says otherwise.
    public init(
        message: @escaping @Sendable ([UInt8]) -> String? = { ErrorMapping.standardMessage($0) },
        classify: @escaping @Sendable (Answer) -> (code: HomelabError.Code, explanation: String)? = { _ in nil }
    ) {
        self.message = message
        self.classify = classify
    }

    /// The message in `{"message"}`, `{"error"}`, `{"detail"}`, `{"errors"}`, `{"reason"}` or plain text, clipped.
    public static func standardMessage(_ body: [UInt8]) -> String? { ServerMessage.extract(from: body) }

    /// The error for an answer with `status` and `body` to `request`.
    public func error(status: Int, body: [UInt8], request: HTTPRequest, endpoint: String, component: String) -> HomelabError {
        let text = message(body)
        let answer = Answer(status: status, message: text, endpoint: endpoint)
        let (code, explanation) = classify(answer) ?? (HomelabError.code(forStatus: status), "the server refused the request")
        return HomelabError(
            code, explanation, component: component, request: request.redactedSummary, status: status, serverMessage: text)
    }
}
