import Foundation
import Logging

/// A password login to Proxmox VE: a ticket from `POST /access/ticket`, sent as `Cookie: PVEAuthCookie=...`, with
/// the `CSRFPreventionToken` header on every request that is not a GET, renewed (by posting the current ticket as
/// the password) after ``renewAfter`` so it never reaches its 2-hour expiry, and fetched again once after a 401.
///
/// Concurrent requests share one login. The password and the ticket are ``Secret``s: never logged.
public struct ProxmoxTicketAuth: HTTPMiddleware {
    private let session: TicketSession

    /// Logs in as `username` (`root@pam`, `homelab@pve`) with `password`.
    /// - Parameters:
    ///   - renewAfter: the ticket's age at which it is renewed (1 hour, as proxmoxer does; tickets live 2 hours).
    ///   - now: the clock tickets are aged on (tests pass their own).
    public init(
        username: String, password: Secret, renewAfter: Duration = .seconds(3600),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        session = TicketSession(username: username, password: password, renewAfter: renewAfter, now: now)
    }

    public func intercept<Response: HTTPResponseHead>(
        _ request: HTTPRequest, context: HTTPRequestContext,
        next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response
    ) async throws -> Response {
        var ticket = try await session.ticket(replacing: nil) { body in try await Self.logIn(body, next, context) }
        let first = try await next(Self.authorised(request, ticket), context)
        guard first.status == 401 else { return first }
        ticket = try await session.ticket(replacing: ticket) { body in try await Self.logIn(body, next, context) }
        return try await next(Self.authorised(request, ticket), context)
    }

    private static func logIn<Response: HTTPResponseHead>(
        _ body: [UInt8], _ next: @Sendable (HTTPRequest, HTTPRequestContext) async throws -> Response, _ context: HTTPRequestContext
    ) async throws -> (status: Int, body: [UInt8]) {
        var ticketRequest = HTTPRequest(method: .post, path: "/access/ticket", body: body)
        ticketRequest.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        let response = try await next(ticketRequest, context)
        return (response.status, response.bufferedBody ?? [])
    }

    private static func authorised(_ request: HTTPRequest, _ ticket: TicketSession.Ticket) -> HTTPRequest {
        var request = request
        request.headers.replaceOrAdd(name: "Cookie", value: "PVEAuthCookie=" + ticket.ticket.reveal().percentEncodedQueryComponent)
        if request.method != .get && request.method != .head {
            request.headers.replaceOrAdd(name: "CSRFPreventionToken", value: ticket.csrf.reveal())
        }
        return request
    }
}

/// The ticket of one login, shared by every request through one ``ProxmoxTicketAuth``.
actor TicketSession {
    typealias Login = @Sendable (_ formBody: [UInt8]) async throws -> (status: Int, body: [UInt8])

    struct Ticket: Sendable, Equatable {
        var ticket: Secret
        var csrf: Secret
        var issued: Date
        static func == (a: Ticket, b: Ticket) -> Bool { a.ticket.reveal() == b.ticket.reveal() && a.issued == b.issued }
    }

    private let username: String
    private let password: Secret
    private let renewAfter: Duration
    private let now: @Sendable () -> Date
    private var current: Ticket?
    private var loggingIn = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(username: String, password: Secret, renewAfter: Duration, now: @escaping @Sendable () -> Date) {
        self.username = username
        self.password = password
        self.renewAfter = renewAfter
        self.now = now
    }

    /// A valid ticket: the current one, a renewed one once it is older than `renewAfter`, or a new login when
    /// there is none or `refused` (answered with a 401) is the current one. One login at a time; others wait for it.
    func ticket(replacing refused: Ticket?, login: Login) async throws -> Ticket {
        if let refused, current == refused { current = nil }
        while loggingIn { await withCheckedContinuation { waiters.append($0) } }
        if let current, now().timeIntervalSince(current.issued) < renewAfter.seconds { return current }
        loggingIn = true
        defer {
            loggingIn = false
            let waiting = waiters
            waiters.removeAll()
            for waiter in waiting { waiter.resume() }
        }
        if let previous = current {
            // Renewal: the current ticket serves as the password. A refusal falls back to the password.
            if let renewed = try? await Self.request(login, username: username, password: previous.ticket, now: now) {
                current = renewed
                return renewed
            }
        }
        let ticket = try await Self.request(login, username: username, password: password, now: now)
        current = ticket
        return ticket
    }

    private static func request(
        _ login: Login, username: String, password: Secret, now: @Sendable () -> Date
    ) async throws -> Ticket {
        let form = "username=\(username.percentEncodedQueryComponent)&password=\(password.reveal().percentEncodedQueryComponent)"
        let (status, body) = try await login(Array(form.utf8))
        guard (200..<300).contains(status) else {
            throw HomelabError(
                .unauthorized,
                "the Proxmox login of \(username) was refused (check USER@REALM and the password)", component: "proxmox",
                request: HomelabError.Request(method: "POST", redactedPath: "/access/ticket"), status: status)
        }
        struct Answer: Decodable {
            struct Data: Decodable {
                let ticket: String
                let CSRFPreventionToken: String
            }
            let data: Data
        }
        guard let answer = try? JSONDecoder().decode(Answer.self, from: Foundation.Data(body)) else {
            throw HomelabError(.decodingFailed, "the Proxmox login answer has no ticket", component: "proxmox")
        }
        return Ticket(ticket: Secret(answer.data.ticket), csrf: Secret(answer.data.CSRFPreventionToken), issued: now())
    }
}
