"""What a claim check reads (issue 20): the releases in force on each date of service, and
every row the claim's lines need, fetched for the whole claim at once and kept per
database file.

A claim asks each table once per release in force, for all its lines' values together, in
two rounds (the rows of every table, then every loaded version of the codes and
modifiers their release lacks), so 500 lines cost the statements 5 do. The rows are then
kept in a cache of the database file, bounded in bytes (`HCPCS_CLAIM_CACHE_MB`): a served file
never changes, and claims name the same few thousand codes again and again, so a code
seen once is not read again while it stays in the cache. Absence is kept too (most codes
have no DMEPOS fee, no NOC entry), and so is what is made from the file alone: what is in
force on a date, a code's DMEPOS rows by their pricing modifiers, a row's fee in a state.
The cache holds rows, never answers: every line is checked afresh. What it hands out is
shared by every request reading the file: tuples and frozen objects, never changed.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any

from hcpcs_graph.db import claims_queries, queries
from hcpcs_graph.db.catalog import Catalog, PaymentReleaseRow, ReleaseRow
from hcpcs_graph.db.payments import facility_queries, pfs_queries
from hcpcs_graph.db.payments import queries as payment_queries
from hcpcs_graph.db.payments.pfs_queries import LocalityRow
from hcpcs_graph.db.payments.queries import DmeposRow
from hcpcs_graph.db.queries import Executor, Row
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.loaders import by_key
from hcpcs_graph.schema.types.protocol import RequestContext as Context

SCHEDULE_KINDS = ("noc", "asp", "dmepos", "dmepen", "ndc", "pfs", "opps")
# tables whose missing values are looked for in every loaded release (the second round)
HISTORY = {"code": "code_history", "modifier": "modifier_history"}
_EVERY_RELEASE = ""  # the release of a history row's key
NONE: tuple[Any, ...] = ()  # no rows: what every value a table lacks has
# what an absence keeps alive besides the cache's own entry: its key's tuple and value text
ABSENT_BYTES = 100
FEE_BYTES = 240  # a DMEPOS fee kept for a state: its key's five values and the fee's text


def quarter_end(date: str) -> str:
    """The last day of the quarter `date` falls in (CMS updates HCPCS quarterly)."""
    day = dt.date.fromisoformat(date)
    first_month = (day.month - 1) // 3 * 3 + 1
    start = day.replace(month=first_month, day=1)
    following = (start + dt.timedelta(days=95)).replace(day=1)
    return (following - dt.timedelta(days=1)).isoformat()


@dataclass(slots=True)
class InForce:
    """What is in force on one date of service: the HCPCS release (`hcpcsCode(asOf:)`'s
    rule: the latest effective on or before it), the end of its quarter, the release of
    each schedule kind (None where none is), and the (table, release) pairs a line's values
    are looked for in (None where nothing is in force)."""

    release: ReleaseRow | None
    quarter_end: str
    schedules: dict[str, PaymentReleaseRow | None]
    by_code: tuple[tuple[str, str], ...] = ()  # its record, NOC, ASP, DMEPOS and DMEPEN rows
    dmepos: tuple[PaymentReleaseRow, ...] = ()  # the DMEPOS and DMEPEN releases, in order
    dmepos_ids: tuple[str, ...] = ()
    modifiers: tuple[str, str] | None = None
    ndc: tuple[str, str] | None = None
    pfs: tuple[str, str] | None = None
    opps: tuple[str, str] | None = None


# the tables a line's code is looked for in, by the schedule kind they belong to
_BY_CODE = (("noc", "noc"), ("asp", "asp"), ("dmepos", "dmepos"), ("dmepos", "dmepen"))


def in_force(ctx: Context, dates: set[str]) -> dict[str, InForce]:
    """Per date of service, what is in force: worked out once per date and kept with the
    claim rows (a quarter's claims name its ninety-odd dates again and again)."""
    cache = _cache(ctx)
    out: dict[str, InForce] = {}
    missing = set()
    for date in dates:
        found = cache.get(("in_force", date))
        if found is None:
            missing.add(date)
        else:
            out[date] = found
    for date, at in _in_force(ctx.catalog, missing).items():
        out[date] = at
        cache.put(("in_force", date), at, 600)
    return out


def _in_force(catalog: Catalog, dates: set[str]) -> dict[str, InForce]:
    if not dates:
        return {}
    starts = [r.effective_date for r in catalog.releases]
    out = {}
    for date in dates:
        at = bisect.bisect_right(starts, date)
        release = catalog.releases[at - 1] if at else None
        schedules = {kind: catalog.payment_in_force(kind, date) for kind in SCHEDULE_KINDS}
        if release is None:
            out[date] = InForce(None, "", schedules)
            continue
        dme = tuple(s for k in ("dmepos", "dmepen") if (s := schedules[k]) is not None)
        by_code = [("code", release.id)]
        by_code += [p for table, kind in _BY_CODE if (p := _pair(schedules, table, kind))]
        out[date] = InForce(
            release,
            quarter_end(release.effective_date),
            schedules,
            by_code=tuple(by_code),
            dmepos=dme,
            dmepos_ids=tuple(s.id for s in dme),
            modifiers=("modifier", release.id),
            ndc=_pair(schedules, "by_ndc", "ndc"),
            pfs=_pair(schedules, "pfs", "pfs"),
            opps=_pair(schedules, "opps", "opps"),
        )
    return out


def _pair(
    schedules: dict[str, PaymentReleaseRow | None], table: str, kind: str
) -> tuple[str, str] | None:
    """(table, the release of `kind` in force), if one is."""
    schedule = schedules[kind]
    return None if schedule is None else (table, schedule.id)


Key = tuple[str, str, str]  # table, release, value
# A claim's statements run on the event loop up to this much CPU (most requests' statements
# get db/database.py's INLINE_BUDGET, 1 ms): each is one table's rows for a whole claim,
# bounded by its 500 lines, and handing it to a thread costs more than running it (a claim
# of new codes: 17 ms with the statements on threads, 10 ms on the loop, where the rules
# and the answer run anyway).
BUDGET = 0.010


class _Claim:
    """The executor of a claim's statements: the request's deadline, a claim's budget."""

    __slots__ = ("ctx",)

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx

    async def execute(self, sql: str, params: Sequence[object] = ()) -> list[Row]:
        ctx = self.ctx
        return await ctx.snapshot.execute(sql, params, deadline=ctx.deadline, budget=BUDGET)


def _code(row: Any) -> str:
    return str(row.code)


def _ndc(row: Any) -> str:
    return str(row.ndc11)


# Each table's rows of many values of one release (one statement), grouped by value; the
# histories' release is not asked: every loaded version, oldest first.
FETCHERS: dict[str, Callable[[Executor, str, list[str]], Awaitable[list[Any]]]] = {
    "code": lambda ex, release, codes: queries.by_codes(ex, release, False, codes),
    "modifier": lambda ex, release, codes: queries.by_codes(ex, release, True, codes),
    "code_history": lambda ex, _, codes: queries.history(ex, False, codes),
    "modifier_history": lambda ex, _, codes: queries.history(ex, True, codes),
    "noc": claims_queries.noc_rows,
    "asp": payment_queries.asp_rows,
    "by_ndc": payment_queries.ndc_rows_by_ndc,
    "dmepos": payment_queries.dmepos_rows,
    "pfs": pfs_queries.pfs_rows,
    "opps": facility_queries.opps_rows,
}


# text columns that can run long (descriptions, JSON lists, a DMEPOS row's 53 states of
# fees), charged by their length; any other field is charged FIELD_BYTES, what a short
# text or a number and its slot keep alive (tests/schema/test_claim_rows.py measures both)
LONG_COLUMNS = frozenset(
    ("long_description", "short_description", "description", "drug_name", "labeler",
     "cross_references", "cim_references", "mcm_references", "fees")
)  # fmt: skip
FIELD_BYTES = 96
_LONG_AT: dict[type, tuple[int, ...]] = {}


def row_bytes(rows: Sequence[Any]) -> int:
    """What a list of rows (named tuples) keeps alive, estimated from their long texts."""
    size = 56 + 8 * len(rows)
    for row in rows:
        cls = row.__class__
        long = _LONG_AT.get(cls)
        if long is None:
            long = _LONG_AT[cls] = tuple(
                i for i, name in enumerate(cls._fields) if name in LONG_COLUMNS
            )
        size += FIELD_BYTES * len(row)
        for i in long:
            value = row[i]
            if value:
                size += len(value)
    return size


def _cache(ctx: Context) -> BoundedCache[Any, Any]:
    cache = ctx.cache.claim_rows
    if cache is None:
        cache = ctx.cache.claim_rows = BoundedCache(ctx.claim_cache_bytes)
    return cache


@dataclass(frozen=True, slots=True)
class DmeposIndex:
    """A code's DMEPOS (and DMEPEN) rows by their pricing modifiers, sorted: the first row
    of each combination, in file order."""

    first: PaymentReleaseRow  # the release of its first row
    pricing: frozenset[str]  # the modifiers that price it (others, e.g. KX, LT, do not)
    by_modifiers: dict[tuple[str, ...], tuple[PaymentReleaseRow, DmeposRow]]
    combos: str  # each row's modifiers as the file gives them, e.g. "RR, RR+QB, RR+QF"

    @classmethod
    def of(cls, rows: list[tuple[PaymentReleaseRow, DmeposRow]]) -> DmeposIndex:
        by_modifiers: dict[tuple[str, ...], tuple[PaymentReleaseRow, DmeposRow]] = {}
        for release, row in rows:
            given = tuple(sorted(m for m in (row.modifier, row.modifier2) if m))
            by_modifiers.setdefault(given, (release, row))
        combos = {"+".join(m for m in (r.modifier, r.modifier2) if m) or "none" for _, r in rows}
        return cls(
            first=rows[0][0],
            pricing=frozenset(m for _, r in rows for m in (r.modifier, r.modifier2) if m),
            by_modifiers=by_modifiers,
            combos=", ".join(sorted(combos)),
        )


class ClaimRows:
    """The rows one claim's lines read, by (table, release, value): each a tuple (the
    cache's own: never to be changed), empty where the table has none."""

    __slots__ = ("_cache", "localities", "rows")

    def __init__(self, cache: BoundedCache[Any, Any]) -> None:
        self._cache = cache
        self.rows: dict[Key, tuple[Any, ...]] = {}
        self.localities: dict[str, list[LocalityRow]] = {}

    def all(self, table: str, release: str, value: str) -> tuple[Any, ...]:
        return self.rows.get((table, release, value), NONE)

    def one(self, table: str, release: str, value: str) -> Any | None:
        found = self.rows.get((table, release, value))
        return found[0] if found else None

    def history(self, is_modifier: bool, value: str) -> tuple[Any, ...]:
        table = HISTORY["modifier" if is_modifier else "code"]
        return self.rows.get((table, _EVERY_RELEASE, value), NONE)

    def dmepos(self, at: InForce, code: str) -> DmeposIndex | None:
        """The code's DMEPOS and DMEPEN rows in force, indexed by their pricing modifiers;
        None when neither prices it. Kept with the rows it is made from."""
        rows = self.rows
        for release in at.dmepos:
            if rows.get(("dmepos", release.id, code)):
                break
        else:
            return None  # most codes
        key = ("dmepos_index", at.dmepos_ids, code)
        index: DmeposIndex | None = self._cache.get(key)
        if index is None:
            found = [(s, r) for s in at.dmepos for r in rows[("dmepos", s.id, code)]]
            index = DmeposIndex.of(found)
            self._cache.put(key, index, 200 + 160 * len(found))
        return index

    def fee(self, row: DmeposRow, state: str) -> str | None:
        """A DMEPOS row's non-rural fee in the state (its fees are ~1 KB of JSON for 53
        states: read once, and only the state asked for kept)."""
        key = ("fee", row.release, row.code, row.row, state)
        found: tuple[str | None] | None = self._cache.get(key)
        if found is None:
            fee = next((nr for st, nr, _ in json.loads(row.fees) if st == state), None)
            found = (fee,)
            self._cache.put(key, found, FEE_BYTES)
        return found[0]


async def fetch(ctx: Context, wanted: dict[tuple[str, str], set[str]]) -> ClaimRows:
    """The rows of the values wanted per (table, release), from the cache or in one
    statement per table and release; then every loaded version of the codes and modifiers
    their release lacks."""
    cache = _cache(ctx)
    got = ClaimRows(cache)
    ex = _Claim(ctx)
    pfs = sorted({release for table, release in wanted if table == "pfs"})
    _, localities = await asyncio.gather(
        _round(got, cache, ex, wanted),
        asyncio.gather(*(ctx.loaders.localities.load(r) for r in pfs)),
    )
    got.localities = dict(zip(pfs, localities, strict=True))
    second: dict[tuple[str, str], set[str]] = {}
    for (table, release), values in wanted.items():
        if table in HISTORY:
            lacking = {v for v in values if not got.rows[table, release, v]}
            if lacking:
                second.setdefault((HISTORY[table], _EVERY_RELEASE), set()).update(lacking)
    if second:
        await _round(got, cache, ex, second)
    return got


async def _round(
    got: ClaimRows,
    cache: BoundedCache[Any, Any],
    ex: Executor,
    wanted: dict[tuple[str, str], set[str]],
) -> None:
    rows = got.rows
    asked: list[tuple[str, str, list[str]]] = []
    for (table, release), values in wanted.items():
        lacking = cache.get_into([(table, release, value) for value in values], rows)
        if lacking:
            missing = sorted(key[2] for key in lacking)  # the same statement for the same values
            asked.append((table, release, missing))
    answers = await asyncio.gather(*(FETCHERS[t](ex, r, names) for t, r, names in asked))
    for (table, release, names), found in zip(asked, answers, strict=True):
        by_value = by_key(found, _ndc if table == "by_ndc" else _code)
        for value in names:
            key = (table, release, value)
            kept = by_value.get(value)
            if kept is None:  # absence: most values of most tables
                rows[key] = NONE
                cache.put(key, NONE, ABSENT_BYTES + len(value))
            else:
                rows[key] = found_rows = tuple(kept)
                cache.put(key, found_rows, row_bytes(found_rows))
