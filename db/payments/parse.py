"""A payment file's rows as the rows of its table: the parts every kind shares.

Each kind's module (asp, ndc, dmepos) turns one data row into a table row; this walks the
rows after the header, skips blank ones, drops non-Level-II codes (counted by reason) and
names the row and column of anything it cannot read.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.kinds import Header, Kind
from hcpcs_graph.db.payments.tables import Cell
from hcpcs_graph.db.payments.values import dropped_reason, period, text

_CODE = re.compile(r"[A-Z0-9]{5}")
TableRow = tuple[object, ...]


@dataclass(slots=True)
class Parsed:
    kind: Kind
    title: list[str]
    period: tuple[str, str | None] | None  # from the title rows, when they say
    rows: list[TableRow] = field(default_factory=list)  # the table's columns after release
    dropped: Counter[str] = field(default_factory=Counter)
    codes: int = 0


class Cells:
    """One data row, read by heading; errors name the row and the column."""

    __slots__ = ("columns", "row", "where", "width")

    def __init__(
        self, row: Sequence[Cell], columns: dict[str, int], width: int, where: str
    ) -> None:
        self.row = row
        self.columns = columns
        self.width = width  # the header row's
        self.where = where

    def raw(self, heading: str) -> Cell:
        column = self.columns[heading]
        if column >= len(self.row):
            raise LoadError(
                f"the row has {len(self.row)} columns, the header {self.width}: "
                "the file is cut short, or the row is broken",
                field=heading,
            )
        return self.row[column]

    def text(self, heading: str) -> str:
        return text(self.raw(heading))


RowReader = Callable[[Cells, str, int], TableRow]


def rows(header: Header, code_heading: str) -> Iterator[tuple[int, Cells, str]]:
    """(row number, cells, code) of each non-blank row after the header."""
    sheet = header.sheet
    width = len(sheet.rows[header.index])
    for index in range(header.index + 1, len(sheet.rows)):
        row = sheet.rows[index]
        if not any(text(v) for v in row):
            continue
        where = sheet.where(index)
        cells = Cells(row, header.columns, width, where)
        try:
            code = cells.text(code_heading).upper()
        except LoadError as e:
            raise e.located(where=where) from None
        if not _CODE.fullmatch(code):
            raise LoadError(f"{code!r} is not a HCPCS code", where=where, field=code_heading)
        yield index + 1, cells, code


def parse(header: Header, kind: Kind, code_heading: str, read: RowReader, label: str) -> Parsed:
    parsed = Parsed(kind, header.title, period(header.title))
    seen: set[str] = set()
    for number, cells, code in rows(header, code_heading):
        reason = dropped_reason(code)
        if reason is not None:
            parsed.dropped[reason] += 1
            continue
        try:
            parsed.rows.append(read(cells, code, number))
        except LoadError as e:
            raise e.located(file=label, where=cells.where) from None
        seen.add(code)
    parsed.codes = len(seen)
    if not parsed.rows:
        raise LoadError(f"no Level II rows after the header of this {kind.label}", file=label)
    return parsed
