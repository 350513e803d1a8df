"""The DMEPOS and DMEPEN fee schedules: a row per code and modifier combination, with a
non-rural and a rural fee per state (DMEREAD: rural columns hold 0.00 where a code has no
rural fee, and for the non-contiguous areas). DMEPEN has no jurisdiction, category,
ceiling or floor."""

from __future__ import annotations

import json
import re

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.dmepos_tables import STATES
from hcpcs_graph.db.payments.parse import Cells, RowReader, TableRow
from hcpcs_graph.db.payments.values import decimal_text

_STATE = re.compile(r"([A-Z]{2})\(NR\)")
_RURAL = re.compile(r"([A-Z]{2})\(R\)")
_DESCRIPTIONS = ("DESCRIPTION", "DESC", "SHORT DESCRIPTION")


def states(columns: dict[str, int]) -> list[str]:
    """The states, in the file's order: every one of DMEREAD's, each with a non-rural and a
    rural column, and no other (a state lost from the header would lose its fees)."""
    non_rural = sorted((c, m.group(1)) for h, c in columns.items() if (m := _STATE.fullmatch(h)))
    rural = {m.group(1) for h in columns if (m := _RURAL.fullmatch(h))}
    named = {state for _, state in non_rural}
    for state in sorted(named | rural | set(STATES)):
        for suffix, present in (("NR", state in named), ("R", state in rural)):
            if not present or state not in STATES:
                problem = "is missing" if state in STATES else "is not a state of DMEREAD's"
                raise LoadError(f"the header's column {state} ({suffix}) {problem}")
    return [state for _, state in non_rural]


def reader(columns: dict[str, int], with_limits: bool) -> RowReader:
    named = states(columns)
    description = next((d for d in _DESCRIPTIONS if d in columns), None)

    def read(cells: Cells, code: str, number: int) -> TableRow:
        fees = [
            [
                state,
                decimal_text(cells.raw(f"{state}(NR)"), f"{state} (NR)", blank=False, places=2),
                decimal_text(cells.raw(f"{state}(R)"), f"{state} (R)", blank=False, places=2),
            ]
            for state in named
        ]
        return (
            code,
            number,
            cells.text("MOD").upper(),
            cells.text("MOD2").upper(),
            cells.text("JURIS") if with_limits else None,
            cells.text("CATG") if with_limits else None,
            decimal_text(cells.raw("CEILING"), "Ceiling", blank=False, places=2)
            if with_limits
            else None,
            decimal_text(cells.raw("FLOOR"), "Floor", blank=False, places=2)
            if with_limits
            else None,
            cells.text(description) if description else "",
            json.dumps(fees, separators=(",", ":")),
        )

    return read
