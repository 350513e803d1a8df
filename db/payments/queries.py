"""Every SQL statement that serves the payment schedules (db/payments/ddl.py). Each is
batched: one statement per schedule release, however many codes (or NDCs, categories)
a request asks about. Rows come back as named tuples, in the tables' column order."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hcpcs_graph.db.payments.statements import columns, marks, rows_by_code
from hcpcs_graph.db.queries import Executor


class AspRow(NamedTuple):
    release: str
    code: str
    row: int
    short_description: str
    dosage: str
    payment_limit: str | None
    coinsurance_percent: str | None
    vaccine_awp_percent: str | None
    vaccine_limit: str | None
    blood_awp_percent: str | None
    blood_limit: str | None
    clotting_factor: int
    notes: str | None


class NdcRow(NamedTuple):
    release: str
    code: str
    row: int
    ndc: str
    ndc11: str | None
    short_description: str
    labeler: str
    drug_name: str
    dosage: str
    package_size: str
    package_quantity: str
    billing_units: str
    billing_units_per_package: str


class DmeposRow(NamedTuple):
    release: str
    code: str
    row: int
    modifier: str
    modifier2: str
    jurisdiction: str | None
    category: str | None
    ceiling: str | None
    floor: str | None
    short_description: str
    fees: str  # JSON [[state, non-rural, rural], ...]


_NDC = columns(NdcRow)


async def asp_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[AspRow]:
    """The ASP pricing rows of the codes (one per code at most)."""
    return await rows_by_code(ex, AspRow, "asp_prices", release, codes)


async def ndc_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[NdcRow]:
    """The crosswalk rows of the codes, in file order per code."""
    return await rows_by_code(ex, NdcRow, "ndc_crosswalk", release, codes)


async def ndc_rows_by_ndc(ex: Executor, release: str, ndc11s: Sequence[str]) -> list[NdcRow]:
    """The crosswalk rows of the NDCs (11 digits), ordered by code and file order."""
    # `+release`: with a claim's hundred NDCs and no statistics, SQLite would otherwise
    # walk the whole release by its primary key rather than search the NDC index
    rows = await ex.execute(
        f"SELECT {_NDC} FROM ndc_crosswalk WHERE ndc11 IN ({marks(ndc11s)}) AND +release = ?"
        " ORDER BY code, row",
        [*ndc11s, release],
    )
    return [NdcRow._make(row) for row in rows]


async def dmepos_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[DmeposRow]:
    """The DMEPOS (or DMEPEN) rows of the codes, in file order per code."""
    return await rows_by_code(ex, DmeposRow, "dmepos_fees", release, codes)


async def category_codes(
    ex: Executor, release: str, categories: Sequence[str]
) -> list[tuple[str, str]]:
    """(category, code) for each distinct code of the categories, ordered by code."""
    rows = await ex.execute(
        "SELECT DISTINCT category, code FROM dmepos_fees WHERE release = ?"
        f" AND category IN ({marks(categories)}) ORDER BY category, code",
        [release, *categories],
    )
    return [(category, code) for category, code in rows]
