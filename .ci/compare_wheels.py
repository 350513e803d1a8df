"""The wheel built from the sdist holds the same files, byte for byte, as the wheel built
from the tree: `python compare_wheels.py A.whl B.whl` exits non-zero naming any difference."""

from __future__ import annotations

import sys
import zipfile


def files(wheel: str) -> dict[str, str]:
    with zipfile.ZipFile(wheel) as z:
        record = next(n for n in z.namelist() if n.endswith(".dist-info/RECORD"))
        rows = (line.split(",") for line in z.read(record).decode().splitlines() if line)
        return {name: digest for name, digest, *_ in rows if name != record}


a, b = files(sys.argv[1]), files(sys.argv[2])
differ = sorted(name for name in a.keys() | b.keys() if a.get(name) != b.get(name))
if differ:
    sys.exit(f"the two wheels differ in {len(differ)} files: {differ[:20]}")
print(f"the sdist builds the same wheel as the tree: {len(a)} files")
