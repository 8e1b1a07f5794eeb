"""A small service that validates its configuration before it starts."""
import json
import sys

RULES = {
    "listen_port": (int, 1, 65535),
    "retries": (int, 0, 10),
}


def load(path):
    with open(path) as f:
        config = json.load(f)
    for key, (kind, low, high) in RULES.items():
        value = config.get(key)
        if not isinstance(value, kind) or not low <= value <= high:
            raise SystemExit(
                f"Invalid configuration in {path}: '{key}' must be an integer from {low} to {high},"
                f" got {value!r}"
            )
    return config


if __name__ == "__main__":
    if sys.argv[1:2] == ["--check-config"]:
        load(sys.argv[2])
        print("configuration OK")
