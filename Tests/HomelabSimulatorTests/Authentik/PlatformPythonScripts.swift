/// Python run against the simulated Authentik and 1Password Connect: the OpenAPI validator and the real
/// third-party peers (authentik-client of the spec's version, onepasswordconnectsdk), kept here as text so the
/// test target carries no loose files. Tokens are read from files named on the command line, never from argv.
enum PlatformPythonScripts {
    /// `validate CASES.json SPEC.(yml|yaml)`: each case's body against the response schema its path, method and
    /// status declare, with OpenAPI 3.0's `nullable` turned into JSON Schema and `$ref`s resolved in the spec.
    /// Object keys the schema does not list are reported separately as "unknown" (the simulator adds some on
    /// purpose). Prints a JSON report.
    static let validate = #"""
import json, sys, yaml
from jsonschema import Draft7Validator
cases = json.load(open(sys.argv[1]))
spec = yaml.load(open(sys.argv[2]), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))

def convert(node):
    if isinstance(node, dict):
        out = {k: convert(v) for k, v in node.items() if k not in ("nullable", "readOnly", "writeOnly", "example", "examples", "format")}
        if node.get("nullable"):
            return {"anyOf": [out, {"type": "null"}]}
        return out
    if isinstance(node, list):
        return [convert(v) for v in node]
    return node

components = convert(spec.get("components", {}))

def resolve(schema):
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        schema = components["schemas"][name]
    return schema

def properties(schema):
    schema = resolve(schema)
    if not isinstance(schema, dict):
        return None
    if "anyOf" in schema:
        for option in schema["anyOf"]:
            found = properties(option)
            if found is not None:
                return found
    props = dict(schema.get("properties", {}))
    for part in schema.get("allOf", []):
        found = properties(part)
        if found:
            props.update(found)
    return props if props or "properties" in schema or "allOf" in schema else None

unknown = set()
def walk(value, schema, where):
    schema = resolve(schema)
    if isinstance(value, dict):
        props = properties(schema)
        if props is None:
            return
        for key, item in value.items():
            if key in props:
                walk(item, props[key], f"{where}.{key}")
            else:
                unknown.add(f"{where}.{key}")
    elif isinstance(value, list) and isinstance(schema, dict):
        items = schema.get("items")
        if items is None and "anyOf" in schema:
            items = next((o.get("items") for o in schema["anyOf"] if isinstance(o, dict) and "items" in o), None)
        if items is not None:
            for item in value:
                walk(item, items, f"{where}[]")

problems = []
for case in cases:
    operation = spec["paths"].get(case["template"], {}).get(case["method"].lower())
    if operation is None:
        problems.append(f"{case['method']} {case['template']}: not in the spec")
        continue
    response = operation["responses"].get(str(case["status"]))
    if response is None:
        problems.append(f"{case['method']} {case['path']}: status {case['status']} is not declared")
        continue
    content = (response.get("content") or {})
    if not content:
        continue
    schema = content.get("application/json", {}).get("schema")
    if schema is None:
        continue
    root = dict(convert(schema))
    root["components"] = components
    for error in Draft7Validator(root).iter_errors(case["body"]):
        problems.append(f"{case['method']} {case['path']} {case['status']}: {'/'.join(map(str, error.absolute_path))}: {error.message[:160]}")
    walk(case["body"], convert(schema), f"{case['method']} {case['template']}")
print(json.dumps({"cases": len(cases), "problems": problems[:40], "unknown": sorted(unknown)}))
"""#

    /// `authentik HOST_API TOKEN_FILE CA_FILE`: authentik-client lists applications page by page (4 a page),
    /// proxy providers, outposts and their health, users, groups, flows and events, reads the version, and
    /// tries a wrong token.
    static let authentik = #"""
import json, sys
import authentik_client
from authentik_client.rest import ApiException
host, token_file, ca = sys.argv[1:4]
token = open(token_file).read().strip()
def enum(value):
    return getattr(value, "value", value)
conf = authentik_client.Configuration(host=host, access_token=token, ssl_ca_cert=ca)
out = {}
with authentik_client.ApiClient(conf) as api:
    core = authentik_client.CoreApi(api)
    slugs, page, pages = [], 1, 0
    while True:
        answer = core.core_applications_list(page=page, page_size=4)
        pages += 1
        slugs += [a.slug for a in answer.results]
        if not answer.pagination.next:
            break
        page = int(answer.pagination.next)
    out["apps"] = sorted(slugs)
    out["pages"] = pages
    proxies = authentik_client.ProvidersApi(api).providers_proxy_list(page_size=100).results
    out["providers"] = sorted([p.external_host, enum(p.mode), len(p.outpost_set), p.assigned_application_slug] for p in proxies)
    outposts_api = authentik_client.OutpostsApi(api)
    outposts = outposts_api.outposts_instances_list().results
    out["outposts"] = [[o.name, enum(o.type), len(o.providers), o.managed] for o in outposts]
    out["health"] = [[h.version, h.hostname, h.version_outdated] for h in outposts_api.outposts_instances_health_list(outposts[0].pk)]
    out["version"] = authentik_client.AdminApi(api).admin_version_retrieve().version_current
    out["users"] = sorted(u.username for u in core.core_users_list().results)
    out["groups"] = sorted(g.name for g in core.core_groups_list().results)
    out["flows"] = sorted(f.slug for f in authentik_client.FlowsApi(api).flows_instances_list().results)
    out["events"] = len(authentik_client.EventsApi(api).events_events_list(action="login_failed").results)
bad = authentik_client.Configuration(host=host, access_token="wrong-token", ssl_ca_cert=ca)
with authentik_client.ApiClient(bad) as api:
    try:
        authentik_client.CoreApi(api).core_applications_list()
        out["wrong_token"] = 200
    except ApiException as error:
        out["wrong_token"] = error.status
print(json.dumps(out))
"""#

    /// `onepassword URL TOKEN_FILE EXPECTED_FILE`: onepasswordconnectsdk lists vaults, gets items by title and by
    /// vault name, loads a secret dict (field and section.field) and a file's content, and tries a wrong token. The
    /// values are compared with those in EXPECTED_FILE (what the SDK resolved) and only the comparison is printed.
    static let onePassword = #"""
import json, sys
from onepasswordconnectsdk.client import new_client
from onepasswordconnectsdk.config import load_dict
url, token_file, expected_file = sys.argv[1:4]
token = open(token_file).read().strip()
expected = json.load(open(expected_file))
client = new_client(url, token)
out = {}
vaults = client.get_vaults()
out["vaults"] = sorted(v.name for v in vaults)
homelab = next(v for v in vaults if v.name == "homelab")
item = client.get_item_by_title("komodo", homelab.id)
out["komodo_fields"] = sorted(f.label for f in item.fields)
out["by_vault_name"] = client.get_item("proxmox-api-token", "homelab").title
values = load_dict(client, {
    "api_key": {"opitem": "komodo", "opfield": ".api-key", "opvault": homelab.id},
    "db": {"opitem": "postgres", "opfield": "authentik.password", "opvault": homelab.id},
})
out["matches"] = {key: value == expected.get(key) for key, value in values.items()}
postgres = client.get_item_by_title("postgres", homelab.id)
files = client.get_files(postgres.id, homelab.id)
out["files"] = [f.name for f in files]
content = client.get_file_content(files[0].id, postgres.id, homelab.id)
out["matches"]["file"] = (content.decode() if isinstance(content, bytes) else content) == expected.get("file")
summaries = client.get_items(homelab.id, 'title eq "authentik"')
out["filtered"] = [s.title for s in summaries]
try:
    new_client(url, "wrong-token").get_vaults()
    out["wrong_token"] = "accepted"
except Exception as error:
    # FailedToRetrieveVaultException has no status attribute: the status is in its message ("Received 401 ...").
    out["wrong_token"] = type(error).__name__ + (" 401" if "401" in str(error) else "")
print(json.dumps(out))
"""#
}
