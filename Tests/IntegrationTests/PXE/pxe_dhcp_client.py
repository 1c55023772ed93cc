#!/usr/bin/env python3
"""A PXE ROM's DHCP exchange, enough to test dnsmasq's answers (run inside a network namespace).

Sends DHCPDISCOVER as a PXE client (option 60 PXEClient, 93 client architecture, 97 GUID, optionally user class
iPXE) from port 68 on one interface, collects the offers, and, when a proxy offer carries a PXE boot menu instead of
a file name, asks the boot server on port 4011 for the menu's first item (the PXE boot server discovery). Prints one
JSON object: every answer's type, server, yiaddr, file, sname and options 60/66/67, and the boot file chosen.
"""
import argparse
import json
import os
import random
import socket
import struct
import sys
import time

MAGIC = b"\x63\x82\x53\x63"


def options(pairs):
    out = b""
    for code, value in pairs:
        out += bytes([code, len(value)]) + value
    return out + b"\xff"


def packet(mac, xid, msg_type, arch, user_class, ciaddr=b"\0\0\0\0", extra=()):
    header = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", 1, 1, 6, 0, xid, 0, 0x8000, ciaddr, b"\0" * 4, b"\0" * 4, b"\0" * 4,
                         mac + b"\0" * 10, b"", b"")
    pairs = [
        (53, bytes([msg_type])),
        (60, b"PXEClient:Arch:%05d:UNDI:002001" % arch),
        (93, struct.pack("!H", arch)),
        (94, b"\x01\x02\x01"),
        (97, b"\x00" + bytes(range(16))),
        (55, bytes([1, 3, 6, 43, 54, 60, 66, 67, 97])),
    ]
    if user_class:
        pairs.append((77, user_class.encode()))
    pairs.extend(extra)
    return header + MAGIC + options(pairs)


def parse(data):
    if len(data) < 240 or data[236:240] != MAGIC:
        return None
    op, _, _, _, xid = struct.unpack("!BBBBI", data[:8])
    yiaddr = socket.inet_ntoa(data[16:20])
    siaddr = socket.inet_ntoa(data[20:24])
    sname = data[44:108].split(b"\0")[0].decode(errors="replace")
    file = data[108:236].split(b"\0")[0].decode(errors="replace")
    opts = {}
    i = 240
    while i < len(data):
        code = data[i]
        if code == 255:
            break
        if code == 0:
            i += 1
            continue
        length = data[i + 1]
        opts[code] = data[i + 2:i + 2 + length]
        i += 2 + length
    return {"op": op, "xid": xid, "yiaddr": yiaddr, "siaddr": siaddr, "sname": sname, "file": file, "options": opts}


def pxe_menu(opt43):
    """Sub-options of option 43: 9 is the boot menu (type:2, len:1, text)."""
    items = []
    i = 0
    while i + 1 < len(opt43):
        code, length = opt43[i], opt43[i + 1]
        body = opt43[i + 2:i + 2 + length]
        if code == 9:
            j = 0
            while j + 3 <= len(body):
                item_type = struct.unpack("!H", body[j:j + 2])[0]
                text_len = body[j + 2]
                items.append((item_type, body[j + 3:j + 3 + text_len].decode(errors="replace")))
                j += 3 + text_len
        if code == 255:
            break
        i += 2 + length
    return items


def describe(answer):
    o = answer["options"]
    return {
        "type": o.get(53, b"\0")[0],
        "server": socket.inet_ntoa(o[54]) if 54 in o else None,
        "yiaddr": answer["yiaddr"],
        "siaddr": answer["siaddr"],
        "file": answer["file"] or (o[67].split(b"\0")[0].decode() if 67 in o else ""),
        "sname": answer["sname"] or (o[66].decode() if 66 in o else ""),
        "vendor_class": o[60].decode(errors="replace") if 60 in o else None,
        "menu": pxe_menu(o[43]) if 43 in o else [],
    }


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--iface", required=True)
    parser.add_argument("--mac", required=True)
    parser.add_argument("--arch", type=int, default=0)
    parser.add_argument("--user-class", default="")
    parser.add_argument("--timeout", type=float, default=4.0)
    args = parser.parse_args()
    mac = bytes.fromhex(args.mac.replace(":", "").replace("-", ""))
    xid = random.getrandbits(32)
    sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BROADCAST, 1)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.iface.encode())
    sock.bind(("", 68))
    sock.sendto(packet(mac, xid, 1, args.arch, args.user_class), ("255.255.255.255", 67))
    answers = []
    deadline = time.time() + args.timeout
    while time.time() < deadline:
        sock.settimeout(max(0.05, deadline - time.time()))
        try:
            data, _ = sock.recvfrom(4096)
        except socket.timeout:
            break
        answer = parse(data)
        if answer and answer["op"] == 2 and answer["xid"] == xid:
            answers.append(describe(answer))
            if answers[-1]["file"] or answers[-1]["menu"] or answers[-1]["siaddr"] != "0.0.0.0":
                break
    result = {"answers": answers, "boot_file": None, "boot_server": None}
    chosen = next((a for a in answers if a["file"]), None)
    if chosen is None:
        # A proxy offer carries a boot menu (BIOS) or only the boot server (dnsmasq's UEFI workaround: UEFI ROMs skip
        # the menu and ask the boot server on port 4011 directly).
        proxy = next((a for a in answers if a["menu"] or a["siaddr"] != "0.0.0.0"), None)
        if proxy is not None and proxy["server"]:
            extra = []
            if proxy["menu"]:
                extra = [(43, bytes([71, 4]) + struct.pack("!HH", proxy["menu"][0][0], 0) + b"\xff")]
            request = packet(mac, xid, 3, args.arch, args.user_class, ciaddr=socket.inet_aton(os.environ.get("PXE_CLIENT_ADDRESS", "0.0.0.0")),
                             extra=extra)
            boot = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
            boot.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, args.iface.encode())
            boot.bind(("", 0))
            boot.sendto(request, (proxy["siaddr"] if proxy["siaddr"] != "0.0.0.0" else proxy["server"], 4011))
            boot.settimeout(args.timeout)
            try:
                data, _ = boot.recvfrom(4096)
                answer = parse(data)
                if answer:
                    answers.append(describe(answer))
                    if answers[-1]["file"]:
                        chosen = answers[-1]
            except socket.timeout:
                pass
    if chosen is not None:
        result["boot_file"] = chosen["file"]
        result["boot_server"] = chosen["siaddr"] if chosen["siaddr"] != "0.0.0.0" else chosen["server"]
    json.dump(result, sys.stdout)
    print()


if __name__ == "__main__":
    main()
