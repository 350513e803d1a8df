"""Read CMS's fixed-width HCPCS file: 320-character cp1252 records, continuation lines.

Real files carry disclaimer paragraphs before the first record, blank lines,
continuation lines right-trimmed to 91 characters, and records trimmed to 293
characters or padded past 320 with blanks. Those are accepted; anything else is a
`LoadError` naming the line and the field.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from hcpcs_graph.db import records
from hcpcs_graph.db.errors import LoadError

RECORD_LENGTH = 320
MIN_FIRST_LINE = 293  # up to and including the action code
DESCRIPTION_END = 91

# (field, first column, width, occurrences), columns 1-based as in CMS's record layout.
LAYOUT = (
    ("code", 1, 5, 1),
    ("sequence", 6, 5, 1),
    ("record_id", 11, 1, 1),
    ("long_description", 12, 80, 1),
    ("short_description", 92, 28, 1),
    ("pricing_indicators", 120, 2, 4),
    ("multiple_pricing_indicator", 128, 1, 1),
    ("cim_references", 129, 6, 3),
    ("mcm_references", 147, 8, 3),
    ("statute", 171, 10, 1),
    ("lab_certifications", 181, 3, 8),
    ("cross_references", 205, 5, 5),
    ("coverage", 230, 1, 1),
    ("asc_payment_group", 231, 2, 1),
    ("asc_effective_date", 233, 8, 1),
    ("mog_payment_group", 241, 3, 1),
    ("mog_payment_policy_indicator", 244, 1, 1),
    ("mog_effective_date", 245, 8, 1),
    ("processing_note", 253, 4, 1),
    ("betos", 257, 3, 1),
    ("types_of_service", 261, 1, 5),
    ("anesthesia_base_units", 266, 3, 1),
    ("added_date", 269, 8, 1),
    ("action_effective_date", 277, 8, 1),
    ("termination_date", 285, 8, 1),
    ("action_code", 293, 1, 1),
)

# Where a file's first record starts: code (or 3 blanks and a modifier), sequence, record id.
_RECORD_START = re.compile(r"(?:[A-Z0-9]{5}| {3}[A-Z0-9]{2})\d{5}\S")


def _slices(line: str) -> records.Raw:
    raw = records.Raw({}, {})
    for name, start, width, occurs in LAYOUT:
        begin = start - 1
        if occurs == 1:
            raw.single[name] = line[begin : begin + width]
        else:
            raw.repeated[name] = [
                line[begin + i * width : begin + (i + 1) * width] for i in range(occurs)
            ]
    return raw


def _is_record(line: str) -> bool:
    """Whether a line before the data is its first record (else a disclaimer).

    A record-length line with a record id is taken as a record even when its code is
    malformed, so that a bad first record is reported rather than skipped.
    """
    if _RECORD_START.match(line):
        return True
    return len(line) >= MIN_FIRST_LINE and line[10:11] in ("3", "4", "7", "8")


def _decode(raw_line: bytes, line: int) -> str:
    try:
        return raw_line.decode("cp1252")
    except UnicodeDecodeError as e:
        raise LoadError(
            f"byte 0x{raw_line[e.start]:02X} at column {e.start + 1} is not cp1252 text",
            where=f"line {line}",
        ) from None


def read(
    data: bytes, name: str, progress: Callable[[int, int], None] | None = None
) -> records.Parsed:
    """Parse a whole file."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.strip():
        raise LoadError("the file is empty", file=name)
    parsed = records.Assembler()
    started = False
    record_lines = 0
    lines = data.split(b"\n")
    for number, raw_line in enumerate(lines, 1):
        if progress and number % 2000 == 0:
            progress(number, len(lines))
        where = f"line {number}"
        try:
            line = _decode(raw_line.rstrip(b"\r"), number)
            if not line.strip():
                continue
            if not started:
                if not _is_record(line):
                    continue  # a disclaimer before the data
                started = True
            record_lines += 1
            _check_length(line)
            rid = records.record_id(line[10:11])
            code = records.code(line[0:5], rid)
            if rid in records.FIRST_LINE_IDS:
                raw = _slices(line.ljust(RECORD_LENGTH))
                raw.single["code"] = code
                parsed.first(raw, where)
            else:
                if line[DESCRIPTION_END:RECORD_LENGTH].strip():
                    raise LoadError(
                        f"continuation line (record id {rid}) has data after column "
                        f"{DESCRIPTION_END}"
                    )
                parsed.continuation(code, rid, line[5:10], line[11:DESCRIPTION_END])
        except LoadError as e:
            raise e.located(file=name, where=where) from None
    return parsed.finish(record_lines, name)


def _check_length(line: str) -> None:
    length = len(line)
    if length > RECORD_LENGTH and line[RECORD_LENGTH:].strip():
        raise LoadError(f"record is {length} characters long; CMS records are {RECORD_LENGTH}")
    if length < 11:
        raise LoadError(f"record is {length} characters long; too short to hold a record id")
    if line[10] in records.FIRST_LINE_IDS and length < MIN_FIRST_LINE:
        raise LoadError(
            f"record is {length} characters long; a first line (record id {line[10]}) "
            f"needs {MIN_FIRST_LINE} to {RECORD_LENGTH}"
        )
