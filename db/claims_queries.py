"""The SQL claim checks need beyond the code and payment statements (db/queries.py,
db/payments/*_queries.py): CMS's NOC code lists. Batched like the others: one statement
per list release, however many lines a claim holds."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

from hcpcs_graph.db.payments.statements import rows_by_code
from hcpcs_graph.db.queries import Executor


class NocRow(NamedTuple):
    """A code of a NOC list release (db/payments/noc.py): its dates as the list gives them."""

    release: str
    code: str
    long_description: str
    added_date: str | None
    termination_date: str | None


async def noc_rows(ex: Executor, release: str, codes: Sequence[str]) -> list[NocRow]:
    """The rows of the codes the list release names (the others are not on it)."""
    return await rows_by_code(ex, NocRow, "noc_codes", release, codes)
