"""Every SQL statement the server runs. Each takes an executor (a request's view of a
`Snapshot`) and returns `CodeRow`s (db.fields; a page may leave its last columns
UNREAD), or counts.

Connections (pages of codes) are described by a `CodeSet`; the batched functions take
many link values at once so that a page of 100 codes asking for their BETOS code's codes
costs one statement, not 100.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from hcpcs_graph.db.ddl import fts_table
from hcpcs_graph.db.fields import COLUMNS, CodeRow, code_row
from hcpcs_graph.db.fields import LEAD as LEAD  # what every page reads, for callers

CODE_COLUMNS = COLUMNS  # always read the first LEAD, then what lists most often show
WIDTH = len(CODE_COLUMNS)
Row = tuple[Any, ...]  # a row as sqlite3 returns it


class _Unread:
    def __repr__(self) -> str:
        return "<column not read>"


# A page read `width` columns wide comes back in CODE_COLUMNS' shape, the columns past
# `width` holding UNREAD: each value costs about as much to fetch as the statement's SQL
# work per row, and a search listing codes and their short descriptions reads 5 of 29.
UNREAD = _Unread()
_PADS = tuple((UNREAD,) * (WIDTH - w) for w in range(WIDTH + 1))


@functools.cache
def _select(alias: str, width: int) -> str:
    return ", ".join(f"{alias}.{name}" for name in CODE_COLUMNS[: max(width, LEAD)])


def _padded(rows: list[Row], width: int) -> list[CodeRow]:
    if width >= WIDTH:
        return _rows(rows)
    pad = _PADS[max(width, LEAD)]
    return [code_row(row + pad) for row in rows]


_SELECT = _select("c", WIDTH)

# HcpcsCodeFilter's coded fields -> code_values.field
LINKED_FILTERS = {
    "betos": "betos",
    "coverage": "coverage",
    "pricing_indicator": "pricing_indicator",
    "type_of_service": "type_of_service",
    "action_code": "action_code",
}


Span = tuple[int, int]  # first and last id (search_span)


class Executor(Protocol):
    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]: ...


@dataclass(frozen=True, slots=True)
class CodeFilter:
    codes: tuple[str, ...] | None = None
    code_prefix: str | None = None
    betos: str | None = None
    coverage: str | None = None
    pricing_indicator: str | None = None
    type_of_service: str | None = None
    action_code: str | None = None
    active_on: str | None = None  # ISO date
    terminated: bool | None = None


@dataclass(frozen=True, slots=True)
class CodeSet:
    """The codes (or modifiers) of one release that a connection lists."""

    release: str
    is_modifier: bool
    filter: CodeFilter = field(default_factory=CodeFilter)
    link_field: str | None = None  # list the codes whose code_values[link_field] = a value
    search: str | None = None  # an FTS5 MATCH expression, already made safe
    exact_code: str | None = None  # ranked first in a search


_NO_FILTER = CodeFilter()


def _by_span(codes: CodeSet) -> bool:
    """Whether a search, given a span, can filter and order by id inside its full-text
    index alone."""
    return codes.search is not None and codes.filter == _NO_FILTER


def _where(codes: CodeSet) -> tuple[list[str], list[object]]:
    f = codes.filter
    where = ["c.release = ?", "c.is_modifier = ?"]
    params: list[object] = [codes.release, int(codes.is_modifier)]
    if f.codes is not None:
        where.append(f"c.code IN ({', '.join('?' * len(f.codes))})" if f.codes else "0")
        params.extend(f.codes)
    if f.code_prefix:
        where.append("c.code >= ? AND c.code < ?")
        params.extend([f.code_prefix, f.code_prefix + "\U0010ffff"])
    for name, value_field in LINKED_FILTERS.items():
        value = getattr(f, name)
        if value is not None:
            where.append(
                "c.id IN (SELECT code_id FROM code_values"
                " WHERE release = ? AND is_modifier = ? AND field = ? AND value = ?)"
            )
            params.extend([codes.release, int(codes.is_modifier), value_field, value])
    if f.active_on is not None:
        where.append(
            "c.added_date <= ? AND (c.termination_date IS NULL OR c.termination_date >= ?)"
        )
        params.extend([f.active_on, f.active_on])
    if f.terminated is not None:
        where.append(f"c.termination_date IS {'NOT ' if f.terminated else ''}NULL")
    return where, params


def _linked(codes: CodeSet, values: Sequence[str | None]) -> tuple[str, list[object]]:
    """The distinct (value, code id) pairs of the link field, for the given values."""
    sql = (
        "(SELECT DISTINCT value, code_id FROM code_values"
        " WHERE release = ? AND is_modifier = ? AND field = ?"
        f" AND value IN ({', '.join('?' * len(values))})) AS v"
    )
    return sql, [codes.release, int(codes.is_modifier), codes.link_field, *values]


async def page(
    ex: Executor,
    codes: CodeSet,
    values: Sequence[str | None],
    first: int,
    after: str | None,
    width: int = WIDTH,
) -> dict[str | None, list[CodeRow]]:
    """Up to `first` codes after the code `after`, ordered by code, for each link value,
    read `width` columns wide (see UNREAD).

    Without a link field, `values` is ignored and the one page comes back under None.
    """
    where, params = _where(codes)
    if after is not None:
        where.append("c.code > ?")
        params.append(after)
    if codes.link_field is None:
        rows = await ex.execute(
            f"SELECT {_select('c', width)} FROM codes c WHERE {' AND '.join(where)}"
            " ORDER BY c.code LIMIT ?",
            [*params, first],
        )
        return {None: _padded(rows, width)}
    linked, link_params = _linked(codes, values)
    rows = await ex.execute(
        f"SELECT * FROM (SELECT v.value, {_select('c', width)},"
        " row_number() OVER (PARTITION BY v.value ORDER BY c.code) AS n"
        f" FROM {linked} JOIN codes c ON c.id = v.code_id WHERE {' AND '.join(where)})"
        " WHERE n <= ? ORDER BY value, code",
        [*link_params, *params, first],
    )
    out: dict[str | None, list[CodeRow]] = {value: [] for value in values}
    pad = _PADS[max(width, LEAD)]
    for row in rows:
        out[row[0]].append(code_row(row[1:-1] + pad))
    return out


async def count(
    ex: Executor, codes: CodeSet, values: Sequence[str | None], span: Span | None = None
) -> dict[str | None, int]:
    """How many codes each link value's connection holds (all of them, not one page).
    `span`: see `search_span`."""
    if span is not None and _by_span(codes):
        fts = fts_table(codes.release)
        [(n,)] = await ex.execute(
            f"SELECT count(*) FROM {fts} WHERE {fts} MATCH ? AND rowid BETWEEN ? AND ?",
            [codes.search, *span],
        )
        return {None: n}
    where, params = _where(codes)
    if codes.search is not None:
        fts = fts_table(codes.release)
        [(n,)] = await ex.execute(
            f"SELECT count(*) FROM {fts} f CROSS JOIN codes c ON c.id = f.rowid"
            f" WHERE {fts} MATCH ? AND {' AND '.join(where)}",
            [codes.search, *params],
        )
        return {None: n}
    if codes.link_field is None:
        [(n,)] = await ex.execute(
            f"SELECT count(*) FROM codes c WHERE {' AND '.join(where)}", params
        )
        return {None: n}
    linked, link_params = _linked(codes, values)
    rows = await ex.execute(
        f"SELECT v.value, count(*) FROM {linked} JOIN codes c ON c.id = v.code_id"
        f" WHERE {' AND '.join(where)} GROUP BY v.value",
        [*link_params, *params],
    )
    found: dict[str | None, int] = dict(rows)
    return {value: found.get(value, 0) for value in values}


async def search_span(ex: Executor, release: str, is_modifier: bool) -> Span | None:
    """The ids (first, last) of a release's codes, or its modifiers, when they run without a
    gap in code order (`hcpcs load` writes them so). A search can then filter and order by
    id inside the full-text index, with no lookup in `codes` per match. None otherwise."""
    [(first, last, ordered)] = await ex.execute(
        "SELECT min(id), max(id), min(coalesce(step, 1) = 1) FROM (SELECT id,"
        " id - lag(id) OVER (ORDER BY code) AS step FROM codes"
        " WHERE release = ? AND is_modifier = ?)",
        [release, int(is_modifier)],
    )
    return (first, last) if ordered else None


async def search_page(
    ex: Executor,
    codes: CodeSet,
    first: int,
    offset: int,
    span: Span | None = None,
    width: int = WIDTH,
) -> list[CodeRow]:
    """A page of full-text matches, best first: an exact code match, then relevance (FTS5
    rank, bm25 weighted as db.ddl configures it), then code; read `width` columns wide
    (see UNREAD).

    The index is ranked on its own, then joined (CROSS JOIN keeps it the outer loop: left
    to itself SQLite's planner walks every code and runs the MATCH once per code). The
    matches are sorted with their sort keys alone; only the page's rows are read whole.
    With a `span` (`search_span`) and no filter, id stands for code: nothing is joined
    until the page is chosen.
    """
    fts = fts_table(codes.release)
    if span is not None and _by_span(codes):
        rows = await ex.execute(
            f"SELECT {_select('r', width)} FROM (SELECT rowid AS id, rank AS score, rowid = coalesce("
            "(SELECT id FROM codes WHERE release = ? AND is_modifier = ? AND code = ?), 0)"
            f" AS exact FROM {fts} WHERE {fts} MATCH ? AND rowid BETWEEN ? AND ?"
            " ORDER BY exact DESC, score, id LIMIT ? OFFSET ?) AS p"
            " CROSS JOIN codes r ON r.id = p.id ORDER BY p.exact DESC, p.score, p.id",
            [codes.release, int(codes.is_modifier), codes.exact_code or "", codes.search,
             *span, first, offset],
        )  # fmt: skip
        return _padded(rows, width)
    where, params = _where(codes)
    rows = await ex.execute(
        f"SELECT {_select('r', width)} FROM (SELECT c.id AS id, c.code = ? AS exact, m.score AS score,"
        f" c.code AS code FROM (SELECT rowid AS id, rank AS score FROM {fts}"
        f" WHERE {fts} MATCH ?) AS m CROSS JOIN codes c ON c.id = m.id"
        f" WHERE {' AND '.join(where)}"
        " ORDER BY exact DESC, score, code LIMIT ? OFFSET ?) AS p"
        " CROSS JOIN codes r ON r.id = p.id ORDER BY p.exact DESC, p.score, p.code",
        [codes.exact_code or "", codes.search, *params, first, offset],
    )
    return _padded(rows, width)


async def by_codes(
    ex: Executor, release: str, is_modifier: bool, codes: Sequence[str]
) -> list[CodeRow]:
    rows = await ex.execute(
        f"SELECT {_SELECT} FROM codes c WHERE c.release = ? AND c.is_modifier = ?"
        f" AND c.code IN ({', '.join('?' * len(codes))})",
        [release, int(is_modifier), *codes],
    )
    return _rows(rows)


async def history(ex: Executor, is_modifier: bool, codes: Sequence[str]) -> list[CodeRow]:
    """Every loaded version of each code, oldest release first."""
    rows = await ex.execute(
        f"SELECT {_SELECT} FROM codes c WHERE c.is_modifier = ?"
        f" AND c.code IN ({', '.join('?' * len(codes))}) ORDER BY c.code, c.release",
        [int(is_modifier), *codes],
    )
    return _rows(rows)


async def release_rows(ex: Executor, release: str) -> list[CodeRow]:
    """Every code and modifier of a release (for diffs between releases)."""
    rows = await ex.execute(
        f"SELECT {_SELECT} FROM codes c WHERE c.release = ? ORDER BY c.is_modifier, c.code",
        [release],
    )
    return _rows(rows)


async def referenced_by(
    ex: Executor, release: str, codes: Sequence[str]
) -> list[tuple[str, CodeRow]]:
    """(target code, row) for each code of the release that cross-references a target."""
    rows = await ex.execute(
        f"SELECT DISTINCT v.value, {_SELECT} FROM code_values v JOIN codes c ON c.id = v.code_id"
        " WHERE v.release = ? AND v.is_modifier = 0 AND v.field = 'cross_reference'"
        f" AND v.value IN ({', '.join('?' * len(codes))}) ORDER BY v.value, c.code",
        [release, *codes],
    )
    return [(row[0], code_row(row[1:])) for row in rows]


def _rows(rows: list[Row]) -> list[CodeRow]:
    return list(map(code_row, rows))


async def release_count(ex: Executor) -> int:
    """How many releases the file holds (a readiness probe: the file is readable)."""
    [(n,)] = await ex.execute("SELECT count(*) FROM releases")
    return int(n)
