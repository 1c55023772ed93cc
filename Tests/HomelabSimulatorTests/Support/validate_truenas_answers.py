#!/usr/bin/env python3
"""Validates recorded answers of the simulated TrueNAS REST API v2.0 against the OpenAPI document a 24.04
server generates (../shared/specs/truenas-scale-24.04-rest-v2.0-openapi.json).

The document is TrueNAS's own dialect, normalised here before validation: `$ref` written `#components/...`,
`_required_` flags on properties instead of `required` lists, `items` given as a list of alternatives,
`nullable`, and the type name `float`. Schemas keep their `additionalProperties: false`, so a key the spec
does not declare fails, except the keys the simulator adds on purpose (newer releases' fields), which the
caller names and which are removed first.

Usage: validate_truenas_answers.py ANSWERS.json SPEC.json KEY [KEY...]
ANSWERS.json: [{"method": "GET", "path": "/pool", "status": 200, "body": ...}, ...] (paths below /api/v2.0)
"""
import json
import re
import sys

import jsonschema


def normalise(node, schemas):
    if isinstance(node, list):
        return [normalise(item, schemas) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name = node["$ref"].split("/")[-1]
        return normalise(schemas[name], schemas)
    out = {}
    for key, value in node.items():
        if key == "items" and isinstance(value, list):
            out["items"] = {"anyOf": normalise(value, schemas)} if value else {}
        elif key == "properties" and isinstance(value, dict):
            out["properties"] = {name: normalise(sub, schemas) for name, sub in value.items()}
            required = [name for name, sub in value.items() if isinstance(sub, dict) and sub.get("_required_")]
            if required:
                out["required"] = required
        elif key == "type":
            types = value if isinstance(value, list) else [value]
            types = ["number" if t == "float" else t for t in types]
            out["type"] = types if len(types) > 1 else types[0]
        elif key.startswith("_") or key in ("default", "title", "description", "example"):
            continue
        else:
            out[key] = normalise(value, schemas)
    if node.get("nullable") and "type" in out:
        types = out["type"] if isinstance(out["type"], list) else [out["type"]]
        out["type"] = types + ["null"]
    elif node.get("nullable") and "anyOf" in out:
        out["anyOf"] = out["anyOf"] + [{"type": "null"}]
    out.pop("nullable", None)
    return out


def template_matches(template, path):
    pattern = "^" + re.sub(r"\{[^}]+\}", "[^/]+", template) + "$"
    return re.match(pattern, path) is not None


def strip(body, keys):
    if isinstance(body, list):
        return [strip(item, keys) for item in body]
    if isinstance(body, dict):
        return {k: strip(v, keys) for k, v in body.items() if k not in keys}
    return body


def main():
    answers = json.load(open(sys.argv[1]))
    spec = json.load(open(sys.argv[2]))
    deliberate = set(sys.argv[3:])
    schemas = spec["components"]["schemas"]
    failures = []
    checked = 0
    for case in answers:
        path = case["path"].split("?")[0]
        method = case["method"].lower()
        templates = [t for t in spec["paths"] if template_matches(t, path) and method in spec["paths"][t]]
        if not templates:
            failures.append(f"{case['method']} {path}: no such operation in the spec")
            continue
        operation = spec["paths"][sorted(templates, key=len)[0]][method]
        response = operation.get("responses", {}).get("200", {})
        content = response.get("content", {}).get("application/json")
        if case["status"] != 200:
            if case["status"] not in (401, 404, 422):
                failures.append(f"{case['method']} {path}: status {case['status']}")
            checked += 1
            continue
        if content is None:
            checked += 1
            continue
        schema = normalise(content["schema"], schemas)
        try:
            jsonschema.Draft7Validator(schema).validate(strip(case["body"], deliberate))
        except jsonschema.ValidationError as error:
            failures.append(f"{case['method']} {path}: {error.message} at {list(error.absolute_path)}")
        checked += 1
    for failure in failures:
        print(failure)
    print(f"checked {checked} answers, {len(failures)} failures")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
