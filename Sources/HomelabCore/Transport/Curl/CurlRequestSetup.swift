import CCurl

// libcurl callbacks: file-scope and non-capturing (a capturing closure turned into a C function
// pointer crashes swift-frontend 6.3.1); the transfer travels through the user-data pointer.
private let headerCallback: curl_write_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
    return transfer.receiveHeaderLine(UnsafeBufferPointer(start: bytes, count: length)) ? length : 0
}

private let writeCallback: curl_write_callback = { buffer, size, count, userData in
    guard let buffer, let userData else { return 0 }
    let transfer = Unmanaged<CurlTransfer>.fromOpaque(userData).takeUnretainedValue()
    let length = size * count
    let bytes = UnsafeRawPointer(buffer).assumingMemoryBound(to: UInt8.self)
    switch transfer.receiveBody(UnsafeBufferPointer(start: bytes, count: length)) {
    case .accepted: return length
    case .pause: return ccurl_writefunc_pause()
    case .abort: return 0
    }
}

/// Turns an ``HTTPRequest`` + ``Endpoint`` into easy-handle options. Runs on the driver thread.
enum CurlRequestSetup {
    /// libcurl's receive buffer: 100 KiB, as the curl CLI sets it, where libcurl's own default is 16 KiB.
    ///
    /// A Docker listing of 200 services is about 100 KB: with the default it took seven `recvfrom` calls and seven
    /// turns of the transfer loop and write callback (the 1 MB answer of 2,000 services, some 60 by the arithmetic),
    /// where the curl CLI reads it in one. libcurl 7.88 keeps one such buffer per easy handle (the driver keeps up to 64 idle handles).
    static let receiveBufferBytes = 100 << 10

    static func configure(_ h: UnsafeMutableRawPointer, for transfer: CurlTransfer) throws {
        let request = transfer.request
        let endpoint = transfer.endpoint
        let (url, socket) = endpoint.resolve(path: request.path)
        let context = Unmanaged.passUnretained(transfer).toOpaque()

        try check(ccurl_easy_setopt_string(h, CURLOPT_URL, url), "URL")
        if let socket { try check(ccurl_easy_setopt_string(h, CURLOPT_UNIX_SOCKET_PATH, socket), "unix socket path") }
        _ = ccurl_easy_setopt_long(h, CURLOPT_NOSIGNAL, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_BUFFERSIZE, receiveBufferBytes)
        _ = ccurl_easy_setopt_long(h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = ccurl_easy_setopt_long(h, CURLOPT_FOLLOWLOCATION, 0)
        _ = ccurl_easy_setopt_string(h, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = ccurl_easy_setopt_long(h, CURLOPT_CONNECTTIMEOUT_MS, transfer.connectTimeoutMilliseconds)
        if let total = transfer.totalTimeoutSeconds {
            _ = ccurl_easy_setopt_long(h, CURLOPT_TIMEOUT_MS, max(1, Int(total * 1000)))
        }
        transfer.errorBuffer.withUnsafeMutableBufferPointer { buffer in
            _ = ccurl_easy_setopt_pointer(h, CURLOPT_ERRORBUFFER, buffer.baseAddress)
        }
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_HEADERFUNCTION, headerCallback)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_HEADERDATA, context)
        _ = ccurl_easy_setopt_write_cb(h, CURLOPT_WRITEFUNCTION, writeCallback)
        _ = ccurl_easy_setopt_pointer(h, CURLOPT_WRITEDATA, context)

        try configureMethodAndBody(h, request)
        try configureHeaders(h, transfer, socket: socket != nil && endpoint.connectionSocket == nil)
        if endpoint.usesTLS { try configureTLS(h, endpoint.tls) }
    }

    private static func configureMethodAndBody(_ h: UnsafeMutableRawPointer, _ request: HTTPRequest) throws {
        switch request.method {
        case .get where request.body == nil:
            _ = ccurl_easy_setopt_long(h, CURLOPT_HTTPGET, 1)
        case .head:
            _ = ccurl_easy_setopt_long(h, CURLOPT_NOBODY, 1)
        default:
            if let body = request.body {
                _ = ccurl_easy_setopt_off_t(h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
                try copyBody(h, body)
            } else if request.method == .post || request.method == .put || request.method == .patch {
                _ = ccurl_easy_setopt_off_t(h, CURLOPT_POSTFIELDSIZE_LARGE, 0)
                try copyBody(h, [])
            }
            if request.method != .post {
                try check(ccurl_easy_setopt_string(h, CURLOPT_CUSTOMREQUEST, request.method.rawValue), "method")
            }
        }
    }

    /// COPYPOSTFIELDS copies the bytes: the request value may go away before the transfer ends.
    private static func copyBody(_ h: UnsafeMutableRawPointer, _ body: [UInt8]) throws {
        var bytes = body.isEmpty ? [0] : body  // a valid pointer even for an empty body (size is set separately)
        try bytes.withUnsafeMutableBytes { raw in
            try check(ccurl_easy_setopt_pointer(h, CURLOPT_COPYPOSTFIELDS, raw.baseAddress), "request body")
        }
    }

    private static func configureHeaders(_ h: UnsafeMutableRawPointer, _ transfer: CurlTransfer, socket: Bool) throws {
        var list: UnsafeMutablePointer<curl_slist>?
        var hasHost = false
        for field in transfer.request.headers {
            if field.name.caseInsensitiveEquals("Host") { hasHost = true }
            // "Name;" makes curl send an empty header; "Name:" would remove it.
            let line = field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            list = curl_slist_append(list, line)
        }
        if socket, !hasHost, let host = transfer.endpoint.unixSocketHost {
            list = curl_slist_append(list, host.isEmpty ? "Host;" : "Host: \(host)")
        }
        // No "Expect: 100-continue" round trip for bodies.
        list = curl_slist_append(list, "Expect:")
        transfer.headerList = list
        try check(ccurl_easy_setopt_slist(h, CURLOPT_HTTPHEADER, list), "headers")
    }

    private static func configureTLS(_ h: UnsafeMutableRawPointer, _ tls: TLSOptions) throws {
        switch tls.trust {
        case .system:
            break
        case .caFile(let path):
            try check(ccurl_easy_setopt_string(h, CURLOPT_CAINFO, path), "CA file")
        case .caPEM(let pem):
            var bytes = Array(pem.utf8)
            try bytes.withUnsafeMutableBytes { raw in
                var blob = curl_blob(data: raw.baseAddress, len: raw.count, flags: UInt32(CURL_BLOB_COPY))
                try check(ccurl_easy_setopt_blob(h, CURLOPT_CAINFO_BLOB, &blob), "CA certificate")
            }
        case .pinnedKeyOnly, .insecure:
            _ = ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYPEER, 0)
            _ = ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0)
        }
        if !tls.verifyHostname { _ = ccurl_easy_setopt_long(h, CURLOPT_SSL_VERIFYHOST, 0) }
        if let pins = tls.curlPinString {
            try check(ccurl_easy_setopt_string(h, CURLOPT_PINNEDPUBLICKEY, pins), "public-key pin")
        }
        if let client = tls.clientCertificate {
            try check(ccurl_easy_setopt_string(h, CURLOPT_SSLCERT, client.certificateFile), "client certificate")
            try check(ccurl_easy_setopt_string(h, CURLOPT_SSLKEY, client.keyFile), "client key")
            if let passphrase = client.keyPassphrase {
                try check(ccurl_easy_setopt_string(h, CURLOPT_KEYPASSWD, passphrase.reveal()), "client key passphrase")
            }
        }
    }

    private static func check(_ code: CURLcode, _ what: String) throws {
        guard code == CURLE_OK else {
            let reason = curl_easy_strerror(code).map { String(cString: $0) } ?? "error \(code.rawValue)"
            throw HomelabError(.invalidConfiguration, "libcurl rejected the \(what): \(reason)")
        }
    }
}

/// Maps libcurl result codes to ``HomelabError``.
enum CurlErrors {
    static func error(for code: CURLcode, transfer: CurlTransfer) -> HomelabError {
        let detail = transfer.errorBuffer.withUnsafeBufferPointer { buffer -> String in
            guard let base = buffer.baseAddress, base.pointee != 0 else { return "" }
            return String(cString: base)
        }
        let reason = detail.isEmpty ? (curl_easy_strerror(code).map { String(cString: $0) } ?? "curl error \(code.rawValue)") : detail
        let summary = transfer.request.redactedSummary
        let target = transfer.endpoint.description
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            let connecting = !connectionEstablished(transfer)
            let what = connecting
                ? "connecting to \(target) timed out after \(transfer.connectTimeoutMilliseconds) ms"
                : "no complete answer from \(target) within \(transfer.totalTimeoutSeconds.map { "\($0) s" } ?? "the time limit")"
            return HomelabError(.timedOut, what, request: summary, underlying: CurlDetail(Redaction.redactText(reason)))
        case CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CONNECT_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
            CURLE_SSL_CERTPROBLEM, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_CIPHER, CURLE_SSL_ISSUER_ERROR:
            return HomelabError(.tlsFailure, "TLS with \(target) failed", request: summary, underlying: CurlDetail(Redaction.redactText(reason)))
        case CURLE_ABORTED_BY_CALLBACK, CURLE_WRITE_ERROR:
            return HomelabError(.internalFailure, "the transfer from \(target) was aborted", request: summary, underlying: CurlDetail(Redaction.redactText(reason)))
        default:
            return HomelabError(.connectionFailed, "could not talk to \(target)", request: summary, underlying: CurlDetail(Redaction.redactText(reason)))
        }
    }
}

extension CurlErrors {
    /// Whether TCP (and TLS, for https) completed: libcurl records 0 for a phase that never finished.
    static func connectionEstablished(_ transfer: CurlTransfer) -> Bool {
        guard let handle = transfer.easy else { return false }
        var connect = 0.0
        var appConnect = 0.0
        _ = ccurl_easy_getinfo_double(handle, CURLINFO_CONNECT_TIME, &connect)
        _ = ccurl_easy_getinfo_double(handle, CURLINFO_APPCONNECT_TIME, &appConnect)
        return transfer.endpoint.usesTLS ? appConnect > 0 : connect > 0
    }
}

/// libcurl's own explanation of a failure, kept as the underlying error.
struct CurlDetail: Error, Sendable, CustomStringConvertible {
    let description: String
    init(_ text: String) { description = text }
}
