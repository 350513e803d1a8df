"""Read CMS's processing notes file (proc_notes_YYYY.txt): number -> text.

The notes are boxed text: ``          0002--THESE CODES (82585, 82595) PERTAIN ...   *`` then
indented continuation lines, each ending in the box's ``*``, mixing tabs and spaces.
"""

from __future__ import annotations

import re

from hcpcs_graph.db.errors import LoadError

_START = re.compile(r"^\s*(\d{4})--(.*)$")


def _clean(text: str) -> str:
    return " ".join(text.rstrip().rstrip("*").split())


def read(data: bytes, name: str) -> dict[int, str]:
    if not data.strip():
        raise LoadError("the processing notes file is empty", file=name)
    notes: dict[int, list[str]] = {}
    current: list[str] | None = None
    for number, raw_line in enumerate(data.split(b"\n"), 1):
        try:
            line = raw_line.rstrip(b"\r").decode("cp1252")
        except UnicodeDecodeError as e:
            raise LoadError(
                f"byte 0x{raw_line[e.start]:02X} at column {e.start + 1} is not cp1252 text",
                file=name,
                where=f"line {number}",
            ) from None
        match = _START.match(line)
        if match:
            note = int(match.group(1))
            if note in notes:
                raise LoadError(
                    f"note {match.group(1)} appears twice", file=name, where=f"line {number}"
                )
            current = notes[note] = [_clean(match.group(2))]
        elif not _clean(line):
            current = None  # the box's blank line between two notes
        elif current is not None:
            current.append(_clean(line))
    if not notes:
        raise LoadError("no processing notes (lines like '0001--TEXT') found", file=name)
    return {number: " ".join(p for p in parts if p) for number, parts in notes.items()}
