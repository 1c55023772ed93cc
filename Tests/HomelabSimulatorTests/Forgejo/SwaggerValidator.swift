/// A validator of recorded answers against a Swagger 2.0 document (Forgejo's and Woodpecker's), run with python3
/// and jsonschema: `python3 -c SCRIPT ANSWERS.json SPEC.json`.
///
/// Each answer `{method, path, status, body}` (path below the spec's basePath, query allowed) is matched to the
/// spec's operation; a 2xx status must be one the operation declares, and a JSON body is validated against the
/// declared response schema. Object schemas with properties get `additionalProperties: false`, so a key the
/// spec does not declare (a misspelling) fails. Known differences between a spec and its server are patched
/// and listed: Woodpecker's `LogEntry.data` is Go's `[]byte`, which the server writes as base64 text although
/// swag calls it an array of integers; Forgejo's `GET .../contents/{filepath}` answers a directory with an array of
/// `ContentsResponse` (the swagger names only the file's object).
enum SwaggerValidator {
    static let script = #"""
import json, re, sys
import jsonschema

answers = json.load(open(sys.argv[1]))
spec = json.load(open(sys.argv[2]))
definitions = spec.get("definitions", {})
responses = spec.get("responses", {})
if "LogEntry" in definitions:
    definitions["LogEntry"]["properties"]["data"] = {"type": ["string", "array"]}

def close(node):
    if isinstance(node, list):
        return [close(item) for item in node]
    if not isinstance(node, dict):
        return node
    out = {key: close(value) for key, value in node.items() if key not in ("example", "x-go-name", "x-go-package", "x-nullable")}
    if "properties" in out and out.get("type", "object") == "object" and "additionalProperties" not in out:
        out["additionalProperties"] = False
    if out.get("format") in ("int64", "int32", "uint64"):
        out.pop("format")
    return out

schemas = {name: close(body) for name, body in definitions.items()}
root = {"definitions": schemas}

def resolve_response(response):
    if "$ref" in response:
        response = responses[response["$ref"].split("/")[-1]]
    return response.get("schema")

def matches(template, path):
    pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
    if template.endswith("{filepath}") or template.endswith("{repo_full_name}"):
        pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template[: template.rindex("{")]) + ".+$"
    return re.match(pattern, path) is not None

failures, checked = [], 0
for case in answers:
    path = case["path"].split("?")[0]
    method = case["method"].lower()
    templates = [t for t in spec["paths"] if matches(t, path) and method in spec["paths"][t]]
    templates.sort(key=lambda t: (t.count("{"), -len(t)))
    if not templates:
        failures.append(f"{case['method']} {path}: no such operation in the spec")
        continue
    operation = spec["paths"][templates[0]][method]
    status = str(case["status"])
    declared = operation.get("responses", {})
    if status.startswith("2") and status not in declared:
        failures.append(f"{case['method']} {path}: status {status} is not declared ({sorted(declared)})")
        continue
    checked += 1
    response = declared.get(status)
    schema = resolve_response(response) if response else None
    if schema is None or case.get("body") is None:
        continue
    schema = close(schema)
    if isinstance(case["body"], list) and templates[0].endswith("/contents/{filepath}"):
        schema = {"type": "array", "items": schema}
    try:
        jsonschema.validate(case["body"], dict(schema, definitions=schemas))
    except jsonschema.ValidationError as error:
        where = "/".join(str(part) for part in error.absolute_path)
        failures.append(f"{case['method']} {path} {status} at {where}: {error.message[:300]}")
for failure in failures:
    print(failure)
print(f"checked {checked} answers, {len(failures)} failures")
sys.exit(1 if failures else 0)
"""#
}
