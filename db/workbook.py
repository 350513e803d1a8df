"""Read CMS's HCPCS workbook (XLSX, and the XLS of 2020): one row per code, named columns."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Sequence

from python_calamine import CalamineError, CalamineWorkbook

from hcpcs_graph.db import records
from hcpcs_graph.db.errors import LoadError

HEADER_SEARCH_ROWS = 50

# CMS's column headings (blanks and underscores folded to one space) -> record field.
SINGLE_COLUMNS = {
    "HCPC": "code",
    "SEQNUM": "sequence",
    "RECID": "record_id",
    "LONG DESCRIPTION": "long_description",
    "SHORT DESCRIPTION": "short_description",
    "MULT PI": "multiple_pricing_indicator",
    "STATUTE": "statute",
    "COV": "coverage",
    "ASC GRP": "asc_payment_group",
    "ASC DT": "asc_effective_date",
    "OPPS": "mog_payment_group",
    "OPPS PI": "mog_payment_policy_indicator",
    "OPPS DT": "mog_effective_date",
    "PROCNOTE": "processing_note",
    "BETOS": "betos",
    "ANEST BU": "anesthesia_base_units",
    "ADD DT": "added_date",
    "ACT EFF DT": "action_effective_date",
    "TERM DT": "termination_date",
    "ACTION CD": "action_code",
}
REPEATED_COLUMNS = {
    "PRICE": ("pricing_indicators", 4),
    "CIM": ("cim_references", 3),
    "MCM": ("mcm_references", 3),
    "LABCERT": ("lab_certifications", 8),
    "XREF": ("cross_references", 5),
    "TOS": ("types_of_service", 5),
}
EXPECTED = [*SINGLE_COLUMNS] + [
    f"{prefix}{i}" for prefix, (_, n) in REPEATED_COLUMNS.items() for i in range(1, n + 1)
]


def _heading(value: object) -> str:
    return re.sub(r"[\s_]+", " ", str(value or "")).strip().upper()


def _cell(value: object) -> str:
    """A cell as the text CMS's fixed-width file would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%Y%m%d")
    return str(value)


def _sequence(value: str) -> str:
    """SEQNUM drops the last digit of the record layout's 5-digit number (0010 is 00100)."""
    value = value.strip()
    return value + "0" if value.isdigit() and len(value) == 4 else value


def _find_header(rows: Sequence[Sequence[object]]) -> tuple[int, dict[str, int]] | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        headings = {_heading(v): col for col, v in enumerate(row)}
        if "HCPC" in headings and "RECID" in headings:
            return index, headings
    return None


def is_hcpcs_workbook(data: bytes) -> bool:
    """Whether a workbook has the HCPCS header row (HCPC, RECID) on any sheet."""
    try:
        book = CalamineWorkbook.from_filelike(_BytesReader(data))
        sheets = [
            book.get_sheet_by_name(s).to_python(nrows=HEADER_SEARCH_ROWS) for s in book.sheet_names
        ]
    except (CalamineError, ValueError, OSError):
        return False
    return any(_find_header(rows) is not None for rows in sheets)


def read(
    data: bytes, name: str, progress: Callable[[int, int], None] | None = None
) -> records.Parsed:
    if not data.strip():
        raise LoadError("the file is empty", file=name)
    try:
        book = CalamineWorkbook.from_filelike(_BytesReader(data))
        sheets = [(sheet, book.get_sheet_by_name(sheet).to_python()) for sheet in book.sheet_names]
    except (CalamineError, ValueError, OSError) as e:
        raise LoadError(f"not a readable XLSX/XLS workbook ({e})", file=name) from None
    for sheet, rows in sheets:
        found = _find_header(rows)
        if found is None:
            continue
        header_row, headings = found
        missing = [h for h in EXPECTED if h not in headings]
        if missing:
            raise LoadError(
                f"header row lacks the column(s) {', '.join(missing)}",
                file=name,
                where=f"sheet {sheet!r} row {header_row + 1}",
            )
        return _read_rows(rows, header_row, headings, name, sheet, progress)
    raise LoadError(
        "no sheet has the expected header row (HCPC, SEQNUM, RECID, LONG DESCRIPTION, ...) "
        f"in its first {HEADER_SEARCH_ROWS} rows",
        file=name,
    )


def _read_rows(
    rows: Sequence[Sequence[object]],
    header_row: int,
    headings: dict[str, int],
    name: str,
    sheet: str,
    progress: Callable[[int, int], None] | None,
) -> records.Parsed:
    single = [(field, headings[h]) for h, field in SINGLE_COLUMNS.items()]
    repeated = [
        (field, [headings[f"{prefix}{i}"] for i in range(1, n + 1)])
        for prefix, (field, n) in REPEATED_COLUMNS.items()
    ]
    parsed = records.Assembler()
    data_rows = 0
    for index in range(header_row + 1, len(rows)):
        if progress and index % 2000 == 0:
            progress(index, len(rows))
        row = [_cell(v) for v in rows[index]]
        if not any(v.strip() for v in row):
            continue
        data_rows += 1
        where = f"sheet {sheet!r} row {index + 1}"
        try:
            raw = records.Raw(
                {field: row[col] for field, col in single},
                {field: [row[c] for c in cols] for field, cols in repeated},
            )
            raw.single["sequence"] = _sequence(raw.single["sequence"])
            rid = records.record_id(raw.single["record_id"])
            code = records.code(raw.single["code"], rid)
            if rid in records.FIRST_LINE_IDS:
                raw.single["code"] = code
                parsed.first(raw, where)
            else:
                parsed.continuation(
                    code, rid, raw.single["sequence"], raw.single["long_description"]
                )
        except LoadError as e:
            raise e.located(file=name, where=where) from None
    return parsed.finish(data_rows, name)


class _BytesReader:
    """The file-like object calamine wants, over bytes already in memory."""

    def __init__(self, data: bytes) -> None:
        import io

        self._io = io.BytesIO(data)
        self.read = self._io.read
        self.seek = self._io.seek
        self.tell = self._io.tell
