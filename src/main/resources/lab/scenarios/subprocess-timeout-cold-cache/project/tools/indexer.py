"""Builds the symbol index in the runner's tool cache, one shard at a time (resumable)."""
import os
import pathlib
import time

SHARDS = 12


def main():
    cache = pathlib.Path(os.environ.get("RUNNER_TOOL_CACHE", ".cache")) / "symbol-index"
    cache.mkdir(parents=True, exist_ok=True)
    for i in range(SHARDS):
        shard = cache / f"shard-{i:02d}.idx"
        if shard.exists():
            continue
        time.sleep(0.3)  # fetching a shard from the (slow) index mirror
        tmp = shard.with_suffix(".part")
        tmp.write_text(f"shard {i}\n")
        tmp.rename(shard)
    print(f"index ready: {SHARDS} shards in {cache}")


if __name__ == "__main__":
    main()
