"""The DMEPOS and DMEPEN fee schedules: a row per code and modifier combination, with a
non-rural and a rural fee per state (DMEREAD: rural columns hold 0.00 where a code has no
rural fee, and for the non-contiguous areas). DMEPEN has no jurisdiction, category,
ceiling or floor."""

from __future__ import annotations

import json
import re

from hcpcs_graph.db.payments.parse import Cells, RowReader, TableRow
from hcpcs_graph.db.payments.values import decimal_text

_STATE = re.compile(r"([A-Z]{2})\(NR\)")
_DESCRIPTIONS = ("DESCRIPTION", "DESC", "SHORT DESCRIPTION")


def states(columns: dict[str, int]) -> list[str]:
    """The states with a non-rural and a rural column, in the file's order."""
    found = [(c, m.group(1)) for h, c in columns.items() if (m := _STATE.fullmatch(h))]
    return [s for _, s in sorted(found) if f"{s}(R)" in columns]


def reader(columns: dict[str, int], with_limits: bool) -> RowReader:
    named = states(columns)
    description = next((d for d in _DESCRIPTIONS if d in columns), None)

    def read(cells: Cells, code: str, number: int) -> TableRow:
        fees = [
            [
                state,
                decimal_text(cells.raw(f"{state}(NR)"), f"{state} (NR)", blank=False),
                decimal_text(cells.raw(f"{state}(R)"), f"{state} (R)", blank=False),
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
            decimal_text(cells.raw("CEILING"), "Ceiling", blank=False) if with_limits else None,
            decimal_text(cells.raw("FLOOR"), "Floor", blank=False) if with_limits else None,
            cells.text(description) if description else "",
            json.dumps(fees, separators=(",", ":")),
        )

    return read
