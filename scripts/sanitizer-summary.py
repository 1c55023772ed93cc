#!/usr/bin/env python3
"""Summarise ThreadSanitizer/AddressSanitizer/LeakSanitizer report files (log_path=DIR/report.PID).

Each distinct report (its kind and the first source frame of each stack) is printed once with how often it was
seen and where it comes from: our code (Sources/Homelab*, Tests/), a dependency (checkouts/NAME) or the Swift
runtime (no source frame). Exit status 1 when any report touches our code, else 0.
"""
import collections, glob, os, re, subprocess, sys

# TSan: "#0 symbol /path/file.swift:12:3 (module+0x...)"; ASan/LSan: "#0 0x55... in symbol /path/file.swift:12:3".
FRAME = re.compile(r"^\s*#(\d+) (?:0x[0-9a-f]+ in )?(\S+)(?: (\S+?)(?::(\d+))?(?::\d+)?)?(?: \(.*)?$")
HEAD = re.compile(r"^(?:WARNING|ERROR): (ThreadSanitizer|AddressSanitizer|LeakSanitizer): ([^(]+?)(?: \(pid=\d+\))?(?: on address.*)?$")
LEAK = re.compile(r"^(Direct|Indirect) leak of (\d+) byte")

def demangle(symbols):
    if not symbols:
        return {}
    try:
        out = subprocess.run(["swift-demangle", "--simplified", "--compact"], input="\n".join(symbols), capture_output=True,
                             text=True, timeout=60).stdout.splitlines()
        if len(out) == len(symbols):
            return dict(zip(symbols, out))
    except (OSError, subprocess.SubprocessError):
        pass
    return {s: s for s in symbols}

def origin(path):
    if "/Sources/Homelab" in path or "/Tests/" in path:
        return "ours"
    m = re.search(r"/checkouts/([^/]+)/", path)
    if m:
        return m.group(1)
    return None

def parse(text):
    """Yields (kind, stacks) per report; stacks is a list of lists of (symbol, path, line)."""
    kind, stacks, current = None, [], None
    for line in text.splitlines():
        h = HEAD.match(line.strip())
        l = LEAK.match(line.strip())
        if h or l:
            if kind:
                yield kind, stacks
            kind = (f"{h.group(1)}: {h.group(2).strip()}" if h else f"LeakSanitizer: {l.group(1).lower()} leak")
            stacks, current = [], None
            continue
        f = FRAME.match(line)
        if f and kind:
            if f.group(1) == "0":
                current = []
                stacks.append(current)
            if current is not None:
                current.append((f.group(2), f.group(3) or "", f.group(4)))
        elif line.startswith("SUMMARY:") or line.startswith("=================="):
            if kind and line.startswith("SUMMARY:") and "LeakSanitizer" in line:
                yield kind, stacks
                kind = None
    if kind:
        yield kind, stacks

def main(directory):
    groups = collections.OrderedDict()
    files = sorted(glob.glob(os.path.join(directory, "report*")))
    for name in files:
        with open(name, errors="replace") as handle:
            for kind, stacks in parse(handle.read()):
                if kind.startswith("LeakSanitizer: detected"):
                    continue
                key_frames, origins = [], set()
                for stack in stacks[:2]:
                    source = [(s, p, n) for s, p, n in stack if p.startswith("/") and not p.startswith("/<")]
                    # Where a report comes from: the innermost frame that is ours or a named dependency's (a leak
                    # allocated inside TOMLKit, called from our code, is TOMLKit's).
                    first_origin = next((origin(p) for s, p, n in stack if origin(p)), None)
                    if first_origin:
                        origins.add(first_origin)
                    first = next(((s, p, n) for s, p, n in source if origin(p)), source[0] if source else (stack[0] if stack else None))
                    if first:
                        key_frames.append(first)
                key = (kind, tuple((s, p, n) for s, p, n in key_frames))
                entry = groups.setdefault(key, {"count": 0, "origins": origins, "file": name})
                entry["count"] += 1
    names = demangle(sorted({s for (_, frames) in groups for s, _, _ in frames}))
    ours = 0
    print(f"{len(files)} report file(s), {sum(g['count'] for g in groups.values())} report(s), {len(groups)} distinct")
    for (kind, frames), entry in groups.items():
        where = "ours" if "ours" in entry["origins"] else (", ".join(sorted(entry["origins"])) or "Swift runtime/libdispatch (uninstrumented)")
        ours += where == "ours"
        print(f"\n[{entry['count']}x] {kind}  -- from: {where}  (e.g. {os.path.basename(entry['file'])})")
        for s, p, n in frames:
            short = re.sub(r".*/(Sources|Tests|checkouts)/", r"\1/", p)
            print(f"    {names.get(s, s)[:150]}  at {short}{':' + n if n else ''}")
    print(f"\n{ours} distinct report(s) from our code")
    return 1 if ours else 0

if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else "."))
