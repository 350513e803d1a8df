"""Build synthetic CMS fixed-width lines for tests, column by column as the layout says."""

from __future__ import annotations


def record(
    code: str = "G6002",
    *,
    sequence: str = "00100",
    record_id: str = "3",
    long: str = "Stereoscopic x-ray guidance",
    short: str = "Stereo x-ray",
    fields: dict[int, str] | None = None,
    added: str = "20150101",
    effective: str = "20150101",
    terminated: str = "",
    action: str = "N",
) -> str:
    """A 320-character first line (record id 3 or 7); `fields` puts text at 1-based columns."""
    line = [" "] * 320

    def put(column: int, text: str) -> None:
        line[column - 1 : column - 1 + len(text)] = text

    put(1, code.rjust(5) if len(code) == 2 else code)
    put(6, sequence)
    put(11, record_id)
    put(12, long[:80])
    put(92, short)
    put(120, "13")
    put(128, "A")
    put(230, "C")
    put(257, "I4B")
    put(261, "6")
    put(266, "  0")
    put(269, added)
    put(277, effective)
    put(285, terminated)
    put(293, action)
    for column, text in (fields or {}).items():
        put(column, text)
    return "".join(line)


def continuation(code: str, text: str, *, sequence: str = "00200", record_id: str = "4") -> str:
    return (code.rjust(5) + sequence + record_id + text).ljust(320)


def file_bytes(*lines: str, newline: str = "\r\n") -> bytes:
    return "".join(line + newline for line in lines).encode("cp1252")
