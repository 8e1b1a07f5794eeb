"""Compiles the assets and packs them into the runner's build cache for the next job."""
import hashlib
import os
import pathlib
import sys

assets = {f"asset-{i}.css": ("body{margin:%dpx}" % i).encode() * 2000 for i in range(50)}
compiled = b"".join(hashlib.sha256(v).digest() + v for v in assets.values())
print(f"compiled {len(assets)} assets ({len(compiled)} bytes)")
cache = pathlib.Path(os.environ.get("RUNNER_TOOL_CACHE", ".cache")) / "build-cache"
cache.mkdir(parents=True, exist_ok=True)
target = cache / "objects.pack"
try:
    with open(target, "wb") as pack:
        pack.write(compiled)
        pack.flush()
except OSError as e:
    # name the file, as cp, tar and most build tools do when a write fails
    sys.exit(f"build.py: error writing '{target}': {e.strerror}")
print(f"packed into {target}")
