"""The ASC addenda: AA (covered surgical procedures) and BB (covered ancillary items and
services), a payment indicator and rate per code, and DD1, the payment indicators' meanings.
The workbook holds them as sheets; CMS's 508 versions as one CSV each."""

from __future__ import annotations

import re

from hcpcs_graph.db.payments.kinds import Header
from hcpcs_graph.db.payments.parse import Cells, Parsed, RowReader, TableRow
from hcpcs_graph.db.payments.values import decimal_text, text

CODE = "HCPCS CODE"


def _named(columns: dict[str, int], pattern: str) -> str | None:
    """The heading matching `pattern` ("JANUARY 2025 PAYMENT RATE": named for the quarter)."""
    return next((h for h in columns if re.fullmatch(pattern, h)), None)


def reader(addendum: str, columns: dict[str, int]) -> RowReader:
    indicator = _named(columns, r"\w+ \d{4} PAYMENT INDICATOR")
    weight = _named(columns, r"\w+ \d{4} PAYMENT WEIGHT")
    rate = _named(columns, r"\w+ \d{4} PAYMENT RATE")
    copay = _named(columns, r"\w+ \d{4} IRA-22 ADJUSTED COPAYMENT\d*")
    expiration = _named(columns, r"DRUG AND DEVICE PASS-THROUGH EXPIRATION.*")
    assert indicator is not None and weight is not None and rate is not None  # recognised

    def read(cells: Cells, code: str, number: int) -> TableRow:
        discounting = (
            cells.text("SUBJECT TO MULTIPLE PROCEDURE DISCOUNTING").upper()
            if addendum == "AA"
            else None
        )
        return (
            code,
            number,
            addendum,
            cells.text("SHORT DESCRIPTOR"),
            cells.text(indicator).upper(),
            discounting or None,
            (cells.text(expiration) or None) if expiration else None,
            # the workbook's numbers as it shows them (the 508 CSVs write the same)
            decimal_text(cells.raw(weight), "Payment Weight", places=4),
            decimal_text(cells.raw(rate), "Payment Rate", places=2),
            decimal_text(cells.raw(copay), "IRA-22 Adjusted Copayment", places=2)
            if copay
            else None,
        )

    return read


def indicators(parsed: Parsed, header: Header) -> None:
    """payment_indicators from Addendum DD1: (scheme, code, definition)."""
    rows = parsed.tables.setdefault("payment_indicators", [])
    code, meaning = header.columns["INDICATOR"], header.columns["PAYMENT INDICATOR DEFINITION"]
    for row in header.sheet.rows[header.index + 1 :]:
        if len(row) > meaning and re.fullmatch(r"[A-Z]\d", text(row[code])):
            rows.append(("asc", text(row[code]), " ".join(text(row[meaning]).split())))
