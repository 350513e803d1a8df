"""The SQL that serves the physician fee schedule (pfs_rvus, pfs_localities) and the
clinical laboratory fee schedule (lab_fees) of db/payments/ddl.py. Batched as
db/payments/queries.py is: one statement per schedule release, however many codes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hcpcs_graph.db.payments.statements import columns, marks, rows_by_code
from hcpcs_graph.db.queries import Executor


class PfsRow(NamedTuple):
    release: str
    code: str
    modifier: str  # '' when none; 26, TC or 53
    row: int
    description: str
    status: str
    not_used_for_medicare: str | None
    work_rvu: str
    nonfacility_pe_rvu: str
    nonfacility_na: str | None
    facility_pe_rvu: str
    facility_na: str | None
    mp_rvu: str
    nonfacility_total: str
    facility_total: str
    pctc: str
    global_days: str
    pre_op: str
    intra_op: str
    post_op: str
    mult_proc: str
    bilat_surg: str
    asst_surg: str
    co_surg: str
    team_surg: str
    endo_base: str | None
    conversion_factor: str
    supervision: str | None
    calculation_flag: str | None
    imaging_family: str | None
    nonfacility_pe_opps: str | None
    facility_pe_opps: str | None
    mp_opps: str | None


class LocalityRow(NamedTuple):
    release: str
    mac: str
    locality: str
    state: str
    name: str
    work_gpci: str
    pe_gpci: str
    mp_gpci: str
    counties: str | None
    anesthesia_cf: str | None


class LabFeeRow(NamedTuple):
    release: str
    code: str
    modifier: str  # '' when none
    row: int
    effective_date: str
    indicator: str
    rate: str
    short_description: str


async def pfs_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[PfsRow]:
    """The RVU rows of the codes (the code alone, then its modifiers), in file order."""
    return await rows_by_code(ex, PfsRow, "pfs_rvus", release, codes)


async def localities(ex: Executor, release: str) -> list[LocalityRow]:
    """Every payment locality of a release, ordered by state, then MAC and locality."""
    rows = await ex.execute(
        f"SELECT {columns(LocalityRow)} FROM pfs_localities WHERE release = ?"
        " ORDER BY state, mac, locality",
        [release],
    )
    return [LocalityRow._make(row) for row in rows]


async def status_codes(
    ex: Executor, release: str, statuses: Sequence[str]
) -> list[tuple[str, str]]:
    """(status, code) for each distinct code with a row of the statuses, ordered by code."""
    rows = await ex.execute(
        "SELECT DISTINCT status, code FROM pfs_rvus WHERE release = ?"
        f" AND status IN ({marks(statuses)}) ORDER BY status, code",
        [release, *statuses],
    )
    return [(status, code) for status, code in rows]


async def lab_fee_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[LabFeeRow]:
    """The CLFS rows of the codes (one per modifier), in file order."""
    return await rows_by_code(ex, LabFeeRow, "lab_fees", release, codes)
