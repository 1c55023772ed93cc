/// Python run against the simulated Proxmox VE: the spec validator and the real third-party peers (proxmoxer,
/// prometheus-pve-exporter), kept here as text so the test target carries no loose files.
enum ProxmoxPythonScripts {
    /// `validate CASES.json SPEC.json`: each case's `data` against the `returns` schema of its path and method in
    /// PVE's API schema tree (apidata.js). Checks types, required properties and enums; keys and enum values the
    /// simulator adds on purpose (`sim-` prefixed keys, resource type `sdn` extras) are reported separately as
    /// "unknown on purpose" so the test can assert they are there. Integers may come as digit strings, as PVE's own
    /// JSON writer sends some (`GET /cluster/nextid` answers `"100"`). Prints a JSON report.
    static let validate = #"""
import json, re, sys
cases = json.load(open(sys.argv[1]))
tree = json.load(open(sys.argv[2]))

def find(nodes, path):
    for n in nodes:
        if n["path"] == path:
            return n
        if path.startswith(n["path"] + "/") and "children" in n:
            r = find(n["children"], path)
            if r:
                return r
    return None

TYPES = {"string": str, "integer": int, "number": (int, float), "boolean": int, "array": list, "object": dict, "null": type(None)}
problems, unknown = [], []

def check(value, schema, where):
    t = schema.get("type")
    if t in TYPES and not (t == "null" and value is None):
        ok = isinstance(value, TYPES[t]) and not (t in ("integer",) and isinstance(value, bool))
        if t == "integer" and isinstance(value, str) and value.isdigit():
            ok = True
        if t == "boolean":
            ok = value in (0, 1, True, False)
        if not ok:
            problems.append(f"{where}: expected {t}, got {type(value).__name__} {str(value)[:40]}")
            return
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if t == "array" and "items" in schema:
        for i, item in enumerate(value):
            check(item, schema["items"], f"{where}[{i}]")
    if t == "object" and "properties" in schema and isinstance(value, dict):
        props = schema["properties"]
        for key, sub in props.items():
            if not sub.get("optional") and key not in value and sub.get("type") != "null":
                problems.append(f"{where}: missing required {key}")
        for key, item in value.items():
            if key in props:
                check(item, props[key], f"{where}.{key}")
            elif key.startswith("sim-"):
                unknown.append(f"{where}.{key}")
            elif not schema.get("additionalProperties", 1) == 0 and schema.get("additionalProperties") is not None:
                pass

for case in cases:
    template = case["template"]
    node = find(tree, template)
    if node is None:
        problems.append(f"{template}: not in the schema")
        continue
    info = node["info"].get(case["method"])
    if info is None:
        problems.append(f"{case['method']} {template}: no such method")
        continue
    body = case["body"]
    if case["status"] >= 400:
        if not (isinstance(body, dict) and body.get("data", 0) is None and isinstance(body.get("message"), str)):
            problems.append(f"{case['method']} {case['path']}: error body is not {{data: null, message}}")
        continue
    if not isinstance(body, dict) or "data" not in body:
        problems.append(f"{case['method']} {case['path']}: no data")
        continue
    check(body["data"], info.get("returns", {}), f"{case['method']} {case['path']}")
print(json.dumps({"cases": len(cases), "problems": problems, "unknown": unknown}))
"""#

    /// `proxmoxer HOST PORT CAFILE TOKEN_USER TOKEN_NAME SECRET`: lists nodes and VMs, stops and starts VM 102
    /// with blocking task waits; prints JSON.
    static let proxmoxer = #"""
import json, sys
from proxmoxer import ProxmoxAPI
from proxmoxer.tools import Tasks
host, port, ca, user, name, secret = sys.argv[1:7]
pve = ProxmoxAPI(host, port=int(port), user=user, token_name=name, token_value=secret, verify_ssl=ca, timeout=30)
nodes = [n["node"] for n in pve.nodes.get()]
vms = sorted((v["vmid"], v.get("name"), v["status"]) for v in pve.nodes(nodes[0]).qemu.get())
stop = pve.nodes(nodes[0]).qemu(102).status.stop.post()
stopped = Tasks.blocking_status(pve, stop, timeout=30, polling_interval=0.05)
after_stop = pve.nodes(nodes[0]).qemu(102).status.current.get()["status"]
start = pve.nodes(nodes[0]).qemu(102).status.start.post()
started = Tasks.blocking_status(pve, start, timeout=30, polling_interval=0.05)
after_start = pve.nodes(nodes[0]).qemu(102).status.current.get()["status"]
decoded = Tasks.decode_upid(start)
print(json.dumps({"nodes": nodes, "vms": vms, "stopped": stopped["exitstatus"], "after_stop": after_stop,
                  "started": started["exitstatus"], "after_start": after_start, "upid_type": decoded["type"],
                  "upid_node": decoded["node"]}))
"""#

    /// `scrape HOST PORT CAFILE TOKEN_USER TOKEN_NAME SECRET OURS.prom`: prometheus-pve-exporter's collection
    /// (status, version, node, cluster, resources and config collectors) against the simulated Proxmox, compared
    /// with our exposition by series identity (name and every label); prints JSON.
    static let compare = #"""
import json, sys
from prometheus_client.parser import text_string_to_metric_families
from pve_exporter.collector import collect_pve, CollectorsOptions
host, port, ca, user, name, secret, ours_file = sys.argv[1:8]
# proxmoxer's default read timeout is 5 s: the whole suite on 2 cores once kept a simulator answer longer (CI, session 17).
config = {"user": user, "token_name": name, "token_value": secret, "verify_ssl": ca, "port": int(port), "timeout": 30}
options = CollectorsOptions(status=True, version=True, subscription=False, node=True, cluster=True, resources=True,
                            backup_info=False, config=True, replication=False, qdevice=False)
theirs_text = collect_pve(config, host, True, True, options).decode()
ours_text = open(ours_file).read()
def series(text):
    out = set()
    for family in text_string_to_metric_families(text):
        for s in family.samples:
            if s.name.startswith("pve_") and not s.name.endswith("_created"):
                out.add((s.name, tuple(sorted(s.labels.items()))))
    return out
theirs, ours = series(theirs_text), series(ours_text)
def labelsets(items):
    out = {}
    for n, labels in items:
        out.setdefault(n, set()).add(tuple(k for k, _ in labels))
    return {k: sorted(v) for k, v in out.items()}
print(json.dumps({"theirs": len(theirs), "ours": len(ours),
                  "names": sorted({n for n, _ in theirs}),
                  "only_theirs": sorted(map(str, theirs - ours))[:20], "only_ours": sorted(map(str, ours - theirs))[:20],
                  "labelsets_equal": labelsets(theirs) == labelsets(ours)}))
"""#
}
