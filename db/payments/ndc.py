"""The ASP NDC-HCPCS crosswalk: which drug packages (NDCs) bill under which code, and how
many billing units each package holds."""

from __future__ import annotations

import re

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.parse import Cells, TableRow
from hcpcs_graph.db.payments.values import decimal_text

_NDC_542 = re.compile(r"(\d{5})-(\d{4})-(\d{2})")


def code_heading(columns: dict[str, int]) -> str:
    """The code column is named for its year (_2025_CODE): the leftmost heading ending in
    CODE (or HCPCS)."""
    found = [(c, h) for h, c in columns.items() if h.endswith("CODE") or h == "HCPCS"]
    return min(found)[1] if found else "HCPCS CODE"


def ndc11(ndc: str) -> str | None:
    """The 11 digits of an NDC written 5-4-2, as CMS's crosswalk writes NDCs; None for the
    product ids it lists for skin substitutes and devices (GG100, 51120-61052)."""
    found = _NDC_542.fullmatch(ndc)
    return "".join(found.groups()) if found else None


def read(cells: Cells, code: str, number: int) -> TableRow:
    ndc = cells.text("NDC2")
    if not ndc:
        raise LoadError("is blank: the row names no package", field="NDC2")
    return (
        code,
        number,
        ndc,
        ndc11(ndc),
        cells.text("SHORT DESCRIPTION"),
        cells.text("LABELER NAME"),
        cells.text("DRUG NAME"),
        cells.text("HCPCS DOSAGE"),
        decimal_text(cells.raw("PKG SIZE"), "PKG SIZE", blank=False),
        decimal_text(cells.raw("PKG QTY"), "PKG QTY", blank=False),
        decimal_text(cells.raw("BILLUNITS"), "BILLUNITS", blank=False),
        decimal_text(cells.raw("BILLUNITSPKG"), "BILLUNITSPKG", blank=False),
    )
