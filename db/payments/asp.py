"""The ASP pricing file: one row per drug code, its Part B payment allowance limit."""

from __future__ import annotations

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.parse import Cells, TableRow
from hcpcs_graph.db.payments.values import decimal_text

CODE = "HCPCS CODE"
_NOT_PRICED = {"N/A", "NA"}  # CMS writes N/A where a limit is not set (e.g. A9606)
PLACES = 3  # the decimals CMS publishes ASP amounts and percentages with


def _number(cells: Cells, heading: str, column: str) -> str | None:
    return decimal_text(cells.raw(heading), column, places=PLACES)


def read(cells: Cells, code: str, number: int) -> TableRow:
    clotting = cells.text("CLOTTING FACTOR")
    if clotting not in ("", "1"):
        raise LoadError(f"{clotting!r} is neither blank nor 1", field="Clotting Factor")
    return (
        code,
        number,
        cells.text("SHORT DESCRIPTION"),
        cells.text("HCPCS CODE DOSAGE"),
        None if cells.text("PAYMENT LIMIT").upper() in _NOT_PRICED
        else _number(cells, "PAYMENT LIMIT", "Payment Limit"),
        _number(cells, "CO-INSURANCE PERCENTAGE", "Co-insurance Percentage"),
        _number(cells, "VACCINE AWP%", "Vaccine AWP%"),
        _number(cells, "VACCINE LIMIT", "Vaccine Limit"),
        _number(cells, "BLOOD AWP%", "Blood AWP%"),
        _number(cells, "BLOOD LIMIT", "Blood limit"),
        int(clotting == "1"),
        cells.text("NOTES") or None,
    )  # fmt: skip
