"""Runs the tests in a seeded random order, retries failures in a fresh process, reports flakes."""
import argparse
import os
import random
import subprocess
import sys
import unittest


def ids(suite):
    for t in suite:
        if isinstance(t, unittest.TestSuite):
            yield from ids(t)
        else:
            yield t.id()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--retries", type=int, default=1)
    ap.add_argument("--fail-on-flaky", action="store_true")
    args = ap.parse_args()
    seed = "build-" + os.environ.get("GITHUB_RUN_NUMBER", "1")
    print(f"Using --randomly-seed={seed}")
    sys.path.insert(0, ".")
    names = sorted(ids(unittest.defaultTestLoader.discover("tests", top_level_dir=".")))
    random.Random(seed).shuffle(names)
    failed = []
    for name in names:
        result = unittest.TestResult()
        unittest.defaultTestLoader.loadTestsFromName(name).run(result)
        ok = result.wasSuccessful()
        print(f"{name} ... {'ok' if ok else 'RERUN'}")
        if not ok:
            failed.append(name)
    flaky, broken = [], []
    for name in failed:
        for attempt in range(2, args.retries + 2):
            rc = subprocess.run([sys.executable, "-m", "unittest", "-q", name], capture_output=True).returncode
            if rc == 0:
                print(f"{name} passed on retry (attempt {attempt}/{args.retries + 1})")
                flaky.append(name)
                break
        else:
            print(f"{name} failed on every attempt")
            broken.append(name)
    print(f"Ran {len(names)} tests: {len(names) - len(failed)} passed, {len(flaky)} flaky, {len(broken)} failed")
    if broken:
        sys.exit(1)
    if flaky and args.fail_on_flaky:
        print(f"{len(flaky)} flaky test detected; --fail-on-flaky is set")
        sys.exit(3)


if __name__ == "__main__":
    main()
