#!/usr/bin/env python3
"""Validates recorded answers of the simulated Engine API against Docker's own OpenAPI (Swagger 2.0) specs.

usage: validate_docker_answers.py CASES.json SPEC.yaml [SPEC.yaml ...]

CASES.json is a list of {"method", "path", "status", "body"} (body: parsed JSON, or a string for text answers).
Each answer is checked against the response schema the spec gives for that path, method and status, in every
spec given. Keys the last spec does not declare are reported too (a misspelt key would otherwise pass: the
schemas allow additional properties). Exit status 0 when every answer is valid.

Swagger 2.0 is read as JSON Schema draft 4, with `x-nullable: true` allowing null. Where the swagger and the
daemon disagree, the daemon's answer is what clients meet, so the spec is adjusted (each one documented):
- UpdateStatus.State: the daemon also sends rollback_started, rollback_paused and rollback_completed, which
  the swagger enum leaves out (moby api/types/swarm/service.go UpdateState);
- Service.PreviousSpec: sent by the daemon (swarm.Service has PreviousSpec), absent from the swagger;
- NetworkAttachment.Network: the daemon sends swarmkit's network object (ID, Version, CreatedAt, UpdatedAt,
  Spec, DriverState, IPAMOptions: moby api/types/swarm/network.go), not the `Network` definition; the
  swagger's own example shows {"ID": ...};
- IdResponse (IDResponse in later specs) of POST /secrets/create and /configs/create: the daemon writes
  SecretCreateResponse and
  ConfigCreateResponse, whose untagged field is serialised "ID"; the swagger says "Id";
- ContainerSpec.Healthcheck: the daemon serialises the health check under its Go field name "Healthcheck"
  (seen from dockerd 20.10 in the integration tests); the swagger spells it "HealthCheck".
"""
import json
import re
import sys

import jsonschema
import yaml

ROLLBACK_STATES = ["rollback_started", "rollback_paused", "rollback_completed"]


def adjust(node):
    """Swagger -> JSON Schema: x-nullable, and drop keywords draft 4 does not know that could mislead."""
    if isinstance(node, dict):
        node = {key: adjust(value) for key, value in node.items()}
        if node.get("x-nullable") is True:
            return {"anyOf": [node, {"type": "null"}]}
        return node
    if isinstance(node, list):
        return [adjust(value) for value in node]
    return node


def load_spec(path):
    with open(path) as handle:
        spec = yaml.safe_load(handle)
    definitions = spec["definitions"]
    service = definitions["Service"]["properties"]
    enum = service.get("UpdateStatus", {}).get("properties", {}).get("State", {}).get("enum")
    if enum is not None:
        enum.extend(state for state in ROLLBACK_STATES if state not in enum)
    service.setdefault("PreviousSpec", {"$ref": "#/definitions/ServiceSpec"})
    definitions["NetworkAttachment"]["properties"]["Network"] = {
        "type": "object",
        "properties": {
            "ID": {"type": "string"},
            "Version": {"$ref": "#/definitions/ObjectVersion"},
            "CreatedAt": {"type": "string"},
            "UpdatedAt": {"type": "string"},
            "Spec": {"type": "object", "additionalProperties": True},
            "DriverState": {"type": "object", "additionalProperties": True},
            "IPAMOptions": {"type": "object", "additionalProperties": True},
        },
    }
    container = definitions.get("TaskSpec", {}).get("properties", {}).get("ContainerSpec", {}).get("properties", {})
    if "HealthCheck" in container:
        container.setdefault("Healthcheck", container["HealthCheck"])
    for name in ("IdResponse", "IDResponse"):  # renamed in later specs
        if name in definitions:
            definitions[name] = {
                "type": "object",
                "properties": {"Id": {"type": "string"}, "ID": {"type": "string"}},
                "anyOf": [{"required": ["Id"]}, {"required": ["ID"]}],
            }
    return spec


def operation_schema(spec, method, path, status):
    """The response schema for an answer, or None when the spec has no such operation or status."""
    paths = spec["paths"]
    candidates = [template for template in paths if template == path]
    if not candidates:
        for template in paths:
            pattern = "^" + re.sub(r"\{[^}]+\}", r"[^/]+", template) + "$"
            if template.startswith("/distribution/"):
                pattern = "^/distribution/.+/json$"
            if re.match(pattern, path):
                candidates.append(template)
    for template in candidates:
        operation = paths[template].get(method.lower())
        if not operation:
            continue
        response = operation["responses"].get(status) or operation["responses"].get(str(status))
        if response is None:
            return template, None, f"the spec lists no {status} answer for {method} {template}"
        return template, response.get("schema"), None
    return None, None, f"the spec has no operation {method} {path}"


def resolve(spec, schema):
    """Follows $ref into the definitions."""
    while isinstance(schema, dict) and "$ref" in schema:
        name = schema["$ref"].split("/")[-1]
        schema = spec["definitions"][name]
    return schema


def declared(spec, schema):
    """The properties a schema declares, allOf parts merged, and its additionalProperties."""
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return {}, None
    properties = dict(schema.get("properties", {}))
    additional = schema.get("additionalProperties")
    for part in schema.get("allOf", []):
        more, extra = declared(spec, part)
        properties.update(more)
        additional = additional if additional is not None else extra
    return properties, additional


def unknown_keys(spec, schema, value, where, out):
    """Object keys the schema does not declare (only where it declares properties)."""
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return
    if isinstance(value, dict):
        properties, additional = declared(spec, schema)
        for key, item in value.items():
            if key in properties:
                unknown_keys(spec, properties[key], item, f"{where}.{key}", out)
            elif isinstance(additional, dict):
                unknown_keys(spec, additional, item, f"{where}.{key}", out)
            elif properties and additional is not True:
                out.append(f"{where}: key '{key}' is not in the spec")
    elif isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            unknown_keys(spec, schema["items"], item, f"{where}[{index}]", out)


def main():
    cases_path, spec_paths = sys.argv[1], sys.argv[2:]
    with open(cases_path) as handle:
        cases = json.load(handle)
    failures = []
    checked = 0
    for spec_path in spec_paths:
        spec = load_spec(spec_path)
        document = adjust({"definitions": spec["definitions"]})
        name = spec_path.rsplit("/", 1)[-1]
        for case in cases:
            path = re.sub(r"^/v[0-9.]+", "", case["path"].split("?")[0])
            template, schema, problem = operation_schema(spec, case["method"], path, case["status"])
            label = f"{name}: {case['method']} {case['path']} -> {case['status']}"
            if problem:
                failures.append(f"{label}: {problem}")
                continue
            if schema is None:
                continue
            full = dict(document)
            full.update(adjust(schema))
            validator = jsonschema.Draft4Validator(full)
            errors = sorted(validator.iter_errors(case["body"]), key=lambda error: list(error.absolute_path))
            for error in errors[:5]:
                location = "/".join(str(part) for part in error.absolute_path) or "(top)"
                failures.append(f"{label}: at {location}: {error.message[:300]}")
            if spec_path == spec_paths[-1]:
                extra = []
                unknown_keys(spec, schema, case["body"], "$", extra)
                failures.extend(f"{label}: {problem}" for problem in extra[:5])
            checked += 1
    for failure in failures:
        print(failure)
    print(f"checked {checked} answers against {len(spec_paths)} spec(s): {len(failures)} problem(s)")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
