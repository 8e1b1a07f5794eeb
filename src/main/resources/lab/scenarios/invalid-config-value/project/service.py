"""A small service that validates its configuration against config/app.schema.json before it starts."""
import json
import os
import sys

KINDS = {"integer": int, "string": str, "boolean": bool, "number": (int, float)}


def describe(rule):
    what = {"integer": "an integer", "string": "a string", "boolean": "true or false",
            "number": "a number"}[rule["type"]]
    if "minimum" in rule and "maximum" in rule:
        what += f" from {rule['minimum']} to {rule['maximum']}"
    if "enum" in rule:
        what += " (one of " + ", ".join(rule["enum"]) + ")"
    return what


def valid(value, rule):
    kind = KINDS[rule["type"]]
    if isinstance(value, bool) and rule["type"] != "boolean":
        return False
    if not isinstance(value, kind):
        return False
    if "minimum" in rule and value < rule["minimum"]:
        return False
    if "maximum" in rule and value > rule["maximum"]:
        return False
    return "enum" not in rule or value in rule["enum"]


def load(path):
    with open(path) as f:
        config = json.load(f)
    schema_path = os.path.join(os.path.dirname(path), config.get("$schema", "app.schema.json"))
    with open(schema_path) as f:
        schema = json.load(f)
    settings = {}
    for key, rule in schema["properties"].items():
        value = config.get(key, rule.get("default"))
        if not valid(value, rule):
            raise SystemExit(
                f"Invalid configuration in {path}: '{key}' must be {describe(rule)}, got {value!r}"
            )
        settings[key] = value
    return settings


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check-config"]:
        load(sys.argv[2])
        print("configuration OK")
