"""The ASP pricing file: one row per drug code, its Part B payment allowance limit."""

from __future__ import annotations

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.parse import Cells, TableRow
from hcpcs_graph.db.payments.values import decimal_text

CODE = "HCPCS CODE"
_NOT_PRICED = {"N/A", "NA"}  # CMS writes N/A where a limit is not set (e.g. A9606)


def read(cells: Cells, code: str, number: int) -> TableRow:
    limit = cells.raw("PAYMENT LIMIT")
    clotting = cells.text("CLOTTING FACTOR")
    if clotting not in ("", "1"):
        raise LoadError(f"{clotting!r} is neither blank nor 1", field="Clotting Factor")
    return (
        code,
        number,
        cells.text("SHORT DESCRIPTION"),
        cells.text("HCPCS CODE DOSAGE"),
        None if cells.text("PAYMENT LIMIT").upper() in _NOT_PRICED
        else decimal_text(limit, "Payment Limit"),
        decimal_text(cells.raw("CO-INSURANCE PERCENTAGE"), "Co-insurance Percentage"),
        decimal_text(cells.raw("VACCINE AWP%"), "Vaccine AWP%"),
        decimal_text(cells.raw("VACCINE LIMIT"), "Vaccine Limit"),
        decimal_text(cells.raw("BLOOD AWP%"), "Blood AWP%"),
        decimal_text(cells.raw("BLOOD LIMIT"), "Blood limit"),
        int(clotting == "1"),
        cells.text("NOTES") or None,
    )  # fmt: skip
