"""The SQL that serves the facility schedules (issue 19): the ASC payment addenda and OPPS
Addendum B (db/payments/ddl.py: asc_payments, opps_payments, payment_indicators). Batched
as db/payments/queries.py's: one statement per schedule release and page, however many
codes or indicators a request asks about."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hcpcs_graph.db.payments.statements import columns, marks, rows_by_code
from hcpcs_graph.db.queries import Executor


class AscRow(NamedTuple):
    release: str
    code: str
    row: int
    addendum: str  # AA or BB
    short_description: str
    payment_indicator: str
    multiple_procedure_discounting: str | None  # AA: Y or N
    pass_through_expiration: str | None  # BB
    payment_weight: str | None
    payment_rate: str | None
    adjusted_copayment: str | None


class OppsRow(NamedTuple):
    release: str
    code: str
    row: int
    short_description: str
    status_indicator: str
    apc: str | None
    relative_weight: str | None
    payment_rate: str | None
    national_copayment: str | None
    minimum_copayment: str | None
    changed: int


_ASC = columns(AscRow)
_OPPS = columns(OppsRow)


async def asc_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[AscRow]:
    """The ASC rows of the codes (one per code at most)."""
    return await rows_by_code(ex, AscRow, "asc_payments", release, codes)


async def opps_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[OppsRow]:
    """The Addendum B rows of the codes (one per code at most)."""
    return await rows_by_code(ex, OppsRow, "opps_payments", release, codes)


async def all_asc_rows(ex: Executor, release: str) -> list[AscRow]:
    """Every row of an ASC release, by code (for comparing two releases)."""
    rows = await ex.execute(
        f"SELECT {_ASC} FROM asc_payments WHERE release = ? ORDER BY code", [release]
    )
    return [AscRow._make(row) for row in rows]


async def all_opps_rows(ex: Executor, release: str) -> list[OppsRow]:
    """Every row of an Addendum B release, by code (for comparing two releases)."""
    rows = await ex.execute(
        f"SELECT {_OPPS} FROM opps_payments WHERE release = ? ORDER BY code", [release]
    )
    return [OppsRow._make(row) for row in rows]


# table -> its indicator column, for the reverse lists (each has an index on
# (release, indicator, code): db/payments/ddl.py)
_INDICATOR_COLUMNS = {"opps_payments": "status_indicator", "asc_payments": "payment_indicator"}


async def codes_by_indicator(
    ex: Executor,
    table: str,
    release: str,
    indicators: Sequence[str],
    after: str | None,
    limit: int,
) -> list[tuple[str, str]]:
    """(indicator, code): the first `limit` codes after `after` of each indicator, by code."""
    column = _INDICATOR_COLUMNS[table]
    rows = await ex.execute(
        f"SELECT indicator, code FROM (SELECT {column} AS indicator, code, row_number() OVER"
        f" (PARTITION BY {column} ORDER BY code) AS n FROM {table} WHERE release = ?"
        f" AND {column} IN ({marks(indicators)}) AND code > ?) WHERE n <= ?"
        " ORDER BY indicator, code",
        [release, *indicators, after or "", limit],
    )
    return [(indicator, code) for indicator, code in rows]


async def apc_rows(ex: Executor, release: str, apcs: Sequence[str]) -> list[OppsRow]:
    """The Addendum B rows of the APCs, by APC and code."""
    rows = await ex.execute(
        f"SELECT {_OPPS} FROM opps_payments WHERE release = ? AND apc IN ({marks(apcs)})"
        " ORDER BY apc, code",
        [release, *apcs],
    )
    return [OppsRow._make(row) for row in rows]


async def indicator_meanings(
    ex: Executor, release: str, schemes: Sequence[str]
) -> list[tuple[str, str, str]]:
    """(scheme, indicator, description) of a release's payment indicator tables (the ASC
    ZIP's Addendum DD1), by scheme and indicator."""
    rows = await ex.execute(
        "SELECT scheme, code, description FROM payment_indicators WHERE release = ?"
        f" AND scheme IN ({marks(schemes)}) ORDER BY scheme, code",
        [release, *schemes],
    )
    return [(scheme, code, description) for scheme, code, description in rows]
