#!/usr/bin/env python3
"""A stand-in for `docker system dial-stdio` in SSHDockerTunnel's tests: HTTP/1.1 over stdin/stdout.

Reads requests from stdin and writes keep-alive responses (always with Content-Length) to stdout, one
connection per process, exactly as dial-stdio would relay a daemon's answers. Exits when stdin ends or after
answering a request that says `Connection: close`. Routes:
  GET  /hello        "hello"; headers X-Responder-Pid (this process) and X-Request-Number (1, 2, ... per process)
  GET  /_ping        "OK", like the docker daemon
  GET  /slow?ms=N    "slow" after N milliseconds
  POST /echo         the request body back
  GET  /stream       chunked "tick N" lines every 20 ms until the reader goes away (then the process exits)
anything else        404
"""
import os
import sys
import time

stdin = sys.stdin.buffer
stdout = sys.stdout.buffer
served = 0


def respond(status, reason, body, close, extra=()):
    head = [f"HTTP/1.1 {status} {reason}", f"Content-Length: {len(body)}", "Content-Type: text/plain",
            f"X-Responder-Pid: {os.getpid()}", f"X-Request-Number: {served}"]
    head.extend(extra)
    if close:
        head.append("Connection: close")
    stdout.write(("\r\n".join(head) + "\r\n\r\n").encode() + body)
    stdout.flush()


def read_body(headers):
    if headers.get("transfer-encoding", "").lower() == "chunked":
        body = b""
        while True:
            size = int(stdin.readline().strip().split(b";")[0], 16)
            if size == 0:
                while stdin.readline() not in (b"\r\n", b"\n", b""):
                    pass
                return body
            body += stdin.read(size)
            stdin.readline()
    length = int(headers.get("content-length", "0"))
    return stdin.read(length) if length else b""


while True:
    line = stdin.readline()
    if not line:
        break
    if line in (b"\r\n", b"\n"):
        continue
    method, target, _ = line.decode("latin-1").split(" ", 2)
    headers = {}
    while True:
        header = stdin.readline()
        if header in (b"\r\n", b"\n", b""):
            break
        name, _, value = header.decode("latin-1").partition(":")
        headers[name.strip().lower()] = value.strip()
    body = read_body(headers)
    served += 1
    close = headers.get("connection", "").lower() == "close"
    path, _, query = target.partition("?")
    if method == "GET" and path == "/hello":
        respond(200, "OK", b"hello", close)
    elif method == "GET" and path == "/_ping":
        respond(200, "OK", b"OK", close, ["Api-Version: 1.51"])
    elif method == "GET" and path == "/slow":
        params = dict(p.partition("=")[::2] for p in query.split("&") if p)
        time.sleep(int(params.get("ms", "100")) / 1000)
        respond(200, "OK", b"slow", close)
    elif method == "GET" and path == "/stream":
        stdout.write(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n"
                     + f"X-Responder-Pid: {os.getpid()}\r\n\r\n".encode())
        tick = 0
        try:
            while True:
                tick += 1
                line = f"tick {tick}\n".encode()
                stdout.write(f"{len(line):x}\r\n".encode() + line + b"\r\n")
                stdout.flush()
                time.sleep(0.02)
        except (BrokenPipeError, OSError):
            sys.exit(0)
    elif method == "POST" and path == "/echo":
        respond(200, "OK", body, close)
    else:
        respond(404, "Not Found", b"no route " + path.encode(), close)
    if close:
        break
