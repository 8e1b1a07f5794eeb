"""Builds pure-Python wheels from vendor/<name>-<version>/ folders (standard library only).

The lab has no network: this project's packages come from this folder, through pip's
--no-index --find-links, exactly as from a private index.
"""
import base64
import hashlib
import pathlib
import sys
import zipfile


def record_hash(data: bytes) -> str:
    digest = hashlib.sha256(data).digest()
    return "sha256=" + base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def build(src: pathlib.Path, out: pathlib.Path) -> pathlib.Path:
    name, version = src.name.rsplit("-", 1)
    dist_info = f"{name}-{version}.dist-info"
    requires = src / "requires.txt"
    metadata = f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n"
    if requires.exists():
        for line in requires.read_text().splitlines():
            if line.strip():
                metadata += f"Requires-Dist: {line.strip()}\n"
    files = {}
    for path in sorted(src.rglob("*.py")):
        files[path.relative_to(src).as_posix()] = path.read_bytes()
    files[f"{dist_info}/METADATA"] = metadata.encode()
    files[f"{dist_info}/WHEEL"] = b"Wheel-Version: 1.0\nGenerator: mkwheels\nRoot-Is-Purelib: true\nTag: py3-none-any\n"
    record = "".join(f"{p},{record_hash(d)},{len(d)}\n" for p, d in files.items())
    record += f"{dist_info}/RECORD,,\n"
    wheel = out / f"{name}-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w", zipfile.ZIP_DEFLATED) as z:
        for p, d in files.items():
            z.writestr(p, d)
        z.writestr(f"{dist_info}/RECORD", record)
    return wheel


def main() -> None:
    src, out = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    out.mkdir(parents=True, exist_ok=True)
    for pkg in sorted(p for p in src.iterdir() if p.is_dir()):
        print("built", build(pkg, out).name)


if __name__ == "__main__":
    main()
