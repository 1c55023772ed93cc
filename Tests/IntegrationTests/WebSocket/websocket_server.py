#!/usr/bin/env python3
"""A loopback WebSocket server for the WebSocket/JSON-RPC tests, built on the `websockets` package (PyPI; Debian's
python3-websockets 10.4 works too).

Listens on 127.0.0.1 (an ephemeral port unless --port), plain or TLS (--cert/--key, --client-ca for mutual TLS),
or on a unix socket (--unix PATH, as TrueNAS's middlewared.sock), prints "READY <port-or-path>" once listening and
exits when stdin closes.

Path /echo: every text message is a command or is echoed back:
  "big N"            one message of N bytes
  "fragmented K N"   one message of N bytes sent in K fragments
  "ping"             ping the client; when its pong arrives, send "pong received"
  "close CODE WHY"   close the connection with that code and reason
  "drop"             abort the TCP connection without a close frame
Path /rpc: JSON-RPC 2.0, one object per message:
  echo(params) -> params              sleep([seconds, value]) -> value (answers out of order)
  fail() -> error -32001 ENOENT       notify([method, count]) -> sends count notifications, then true
  login([key]) -> key == "good"       stats() -> {"connections": n, "logins": n}
  core.subscribe([name]) -> "sub-N"   emit([name]) -> one collection_update per matching subscription, then true
  drop() -> aborts the connection     core.ping() -> "pong"
"""
import argparse, asyncio, json, ssl, sys

try:
    from websockets.asyncio.server import serve, unix_serve  # websockets >= 13
except ImportError:  # Debian 12's websockets 10.4
    from websockets.server import serve, unix_serve

stats = {"connections": 0, "logins": 0}


def request_path(ws, path):
    if path:
        return path
    request = getattr(ws, "request", None)
    return request.path if request is not None else ws.path


async def echo(ws):
    async for message in ws:
        if isinstance(message, bytes):
            await ws.send(message)
            continue
        words = message.split(" ", 2)
        if words[0] == "big" and len(words) == 2:
            await ws.send("x" * int(words[1]))
        elif words[0] == "fragmented" and len(words) == 3:
            count, size = int(words[1]), int(words[2])
            step = max(1, size // count)
            parts = ["y" * step for _ in range(count - 1)]
            parts.append("y" * (size - step * (count - 1)))
            await ws.send(parts)
        elif message == "ping":
            waiter = await ws.ping()
            await asyncio.wait_for(waiter, 10)
            await ws.send("pong received")
        elif words[0] == "close" and len(words) == 3:
            await ws.close(int(words[1]), words[2])
            return
        elif message == "drop":
            ws.transport.abort()
            return
        else:
            await ws.send(message)


async def rpc(ws):
    subscriptions = {}

    async def answer(request):
        rid, method, params = request.get("id"), request.get("method"), request.get("params")
        reply = {"jsonrpc": "2.0", "id": rid}
        if method == "echo":
            reply["result"] = params
        elif method == "sleep":
            await asyncio.sleep(params[0])
            reply["result"] = params[1]
        elif method == "fail":
            reply["error"] = {"code": -32001, "message": "no such thing",
                              "data": {"error": 2, "errname": "ENOENT", "reason": "no such thing", "trace": None}}
        elif method == "notify":
            for i in range(params[1]):
                await ws.send(json.dumps({"jsonrpc": "2.0", "method": params[0], "params": {"n": i}}))
            reply["result"] = True
        elif method == "login":
            stats["logins"] += 1
            reply["result"] = params == ["good"]
        elif method == "stats":
            reply["result"] = stats
        elif method == "core.ping":
            reply["result"] = "pong"
        elif method == "core.subscribe":
            sid = "sub-%d" % (len(subscriptions) + 1)
            subscriptions[sid] = params[0]
            reply["result"] = sid
        elif method == "core.unsubscribe":
            subscriptions.pop(params[0], None)
            reply["result"] = None
        elif method == "emit":
            for name in list(subscriptions.values()):
                if name == params[0]:
                    await ws.send(json.dumps({"jsonrpc": "2.0", "method": "collection_update",
                                              "params": {"msg": "changed", "collection": name, "id": 1}}))
            reply["result"] = True
        elif method == "drop":
            ws.transport.abort()
            return
        else:
            reply["error"] = {"code": -32601, "message": "Method not found"}
        if rid is not None:
            await ws.send(json.dumps(reply))

    tasks = set()
    async for message in ws:
        task = asyncio.ensure_future(answer(json.loads(message)))
        tasks.add(task)
        task.add_done_callback(tasks.discard)


async def handler(ws, path=None):
    stats["connections"] += 1
    route = request_path(ws, path)
    try:
        if route.startswith("/rpc"):
            await rpc(ws)
        else:
            await echo(ws)
    except Exception:
        pass  # a dropped client is part of the tests


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=0)
    ap.add_argument("--cert")
    ap.add_argument("--key")
    ap.add_argument("--client-ca")
    ap.add_argument("--unix")
    args = ap.parse_args()
    context = None
    if args.cert:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(args.cert, args.key)
        if args.client_ca:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(args.client_ca)
    if args.unix:
        server = await unix_serve(handler, args.unix, max_size=None, ping_interval=None)
        print("READY %s" % args.unix, flush=True)
    else:
        server = await serve(handler, "127.0.0.1", args.port, ssl=context, max_size=None, ping_interval=None)
        print("READY %d" % list(server.sockets)[0].getsockname()[1], flush=True)
    loop = asyncio.get_running_loop()
    await loop.run_in_executor(None, sys.stdin.read)
    server.close()


if __name__ == "__main__":
    asyncio.run(main())
