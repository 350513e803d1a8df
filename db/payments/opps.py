"""OPPS Addendum B: a row per code with its status indicator (SI), APC, relative weight,
payment rate and copayments; "*" in its last column marks a row changed since the last
quarter."""

from __future__ import annotations

from hcpcs_graph.db.payments.parse import Cells, TableRow
from hcpcs_graph.db.payments.values import decimal_text

CODE = "HCPCS CODE"
_CHANGED = "* INDICATES A CHANGE"


def _number(cells: Cells, heading: str, column: str, places: int) -> str | None:
    """CMS writes "." where a code has no weight or copayment; the workbook holds some
    amounts unrounded (23.907400000000003) that it shows to the cent."""
    value = cells.raw(heading)
    if isinstance(value, str) and value.strip() == ".":
        return None
    return decimal_text(value, column, places=places)


def read(cells: Cells, code: str, number: int) -> TableRow:
    changed = cells.text(_CHANGED) if _CHANGED in cells.columns else ""
    return (
        code,
        number,
        cells.text("SHORT DESCRIPTOR"),
        cells.text("SI").upper(),
        cells.text("APC") or None,
        _number(cells, "RELATIVE WEIGHT", "Relative Weight", 4),
        _number(cells, "PAYMENT RATE", "Payment Rate", 2),
        _number(cells, "NATIONAL UNADJUSTED COPAYMENT", "National Unadjusted Copayment", 2),
        _number(cells, "MINIMUM UNADJUSTED COPAYMENT", "Minimum Unadjusted Copayment", 2),
        int(changed == "*"),
    )
