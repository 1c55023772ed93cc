import Logging

/// The link being logged in, handed to the ``JSONRPCClient/Authenticate`` hook: its calls go on that link only,
/// before the client's other calls.
public struct JSONRPCSession: Sendable {
    let client: JSONRPCClient
    let generation: Int

    /// Calls `method` on the link being logged in.
    /// - Throws: as ``JSONRPCClient/call(_:_:timeout:)``; `.connectionFailed` when that link is already gone.
    public func call(_ method: String, _ params: JSONValue? = nil) async throws -> JSONValue {
        try await client.perform(method, params, timeout: client.configuration.callTimeout, session: generation)
    }
}

extension JSONRPCClient {
    /// The notifications the server sends from now on, all of them or those named `method`, across reconnects.
    /// The sequence finishes when the client is closed and throws the error that stopped it.
    /// Notifications are buffered without limit until read.
    public func notifications(named method: String? = nil) -> AsyncThrowingStream<JSONRPCNotification, any Error> {
        addListener(method: method, matching: nil).stream
    }

    /// Subscribes by calling `method` (TrueNAS: `core.subscribe` with `["alert.list"]`) now and again after every
    /// reconnect, and returns the notifications named `notification` that `matching` accepts. When the sequence is
    /// dropped the subscription ends, with a call of `unsubscribe` (`core.unsubscribe`) given the last subscribe result.
    /// - Throws: the subscribe call's error.
    public func subscribe(
        _ method: String, _ params: JSONValue? = nil, notifications notification: String, unsubscribe: String? = nil,
        matching: (@Sendable (JSONRPCNotification) -> Bool)? = nil
    ) async throws -> AsyncThrowingStream<JSONRPCNotification, any Error> {
        let (stream, key) = addListener(method: notification, matching: matching)
        do {
            let result = try await call(method, params)
            // Replayed from now on (registered after the first call, so the first connection does not replay it).
            if listeners[key] != nil {
                subscriptions[key] = Subscription(method: method, params: params, unsubscribe: unsubscribe, lastResult: result)
            }
        } catch {
            listeners.removeValue(forKey: key)?.continuation.finish()
            throw error
        }
        return stream
    }

    private func addListener(
        method: String?, matching: (@Sendable (JSONRPCNotification) -> Bool)?
    ) -> (stream: AsyncThrowingStream<JSONRPCNotification, any Error>, key: Int) {
        let (stream, continuation) = AsyncThrowingStream.makeStream(of: JSONRPCNotification.self, throwing: (any Error).self)
        let key = nextKey
        nextKey += 1
        switch phase {
        case .closed:
            continuation.finish()
            return (stream, key)
        case .stopped(let error, permanent: true):
            continuation.finish(throwing: error)
            return (stream, key)
        default:
            break
        }
        listeners[key] = Listener(method: method, matching: matching, continuation: continuation)
        continuation.onTermination = { [weak self] _ in
            Task { await self?.removeListener(key) }
        }
        return (stream, key)
    }

    private func removeListener(_ key: Int) async {
        listeners[key] = nil
        guard let ended = subscriptions.removeValue(forKey: key), let unsubscribe = ended.unsubscribe,
            let result = ended.lastResult, isReady
        else { return }
        do {
            _ = try await call(unsubscribe, .array([result]))
        } catch {
            logger?.debug("unsubscribing failed", metadata: ["method": "\(unsubscribe)", "error": "\(error)"])
        }
    }

    /// Calls every subscription's method again on a fresh link.
    func replaySubscriptions(on current: Int) async {
        for (key, subscription) in subscriptions {
            do {
                let result = try await perform(
                    subscription.method, subscription.params, timeout: configuration.callTimeout, session: current)
                subscriptions[key]?.lastResult = result
            } catch {
                logger?.warning(
                    "re-subscribing failed", metadata: ["method": "\(subscription.method)", "error": "\(error)"])
            }
        }
    }
}
