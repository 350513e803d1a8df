"""The clinical laboratory fee schedule: a rate per code and modifier (QW: CLIA-waived)."""

from __future__ import annotations

import datetime as dt

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.parse import Cells, TableRow
from hcpcs_graph.db.payments.values import decimal_text

CODE = "HCPCS"


def _date(text: str) -> str:
    try:
        return dt.datetime.strptime(text, "%Y%m%d").date().isoformat()
    except ValueError:
        raise LoadError(f"{text!r} is not a date (YYYYMMDD)", field="EFF_DATE") from None


def read(cells: Cells, code: str, number: int) -> TableRow:
    return (
        code,
        cells.text("MOD").upper(),
        number,
        _date(cells.text("EFF_DATE")),
        cells.text("INDICATOR").upper(),
        decimal_text(cells.raw("RATE"), "RATE", blank=False),
        cells.text("SHORTDESC"),
    )
