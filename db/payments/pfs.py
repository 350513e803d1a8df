"""The physician fee schedule's RVU ZIP: PPRRVU (a row per code and modifier: relative value
units, indicators, the conversion factor), and beside it GPCI (each payment locality's
geographic practice cost indices), 25LOCCO (each locality's counties) and ANES (each
locality's anesthesia conversion factor), read into one schedule release."""

from __future__ import annotations

from collections.abc import Sequence

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments import kinds
from hcpcs_graph.db.payments.kinds import Header
from hcpcs_graph.db.payments.parse import Cells, Parsed, TableRow
from hcpcs_graph.db.payments.tables import Cell
from hcpcs_graph.db.payments.values import decimal_text, text

CODE = "HCPCS"
_DECIMALS = {  # heading -> column name in messages
    "WORK RVU": "WORK RVU",
    "NON-FAC PE RVU": "NON-FAC PE RVU",
    "FACILITY PE RVU": "FACILITY PE RVU",
    "MP RVU": "MP RVU",
    "NON-FACILITY TOTAL": "NON-FACILITY TOTAL",
    "FACILITY TOTAL": "FACILITY TOTAL",
    "PRE OP": "PRE OP",
    "INTRA OP": "INTRA OP",
    "POST OP": "POST OP",
    "CONV FACTOR": "CONV FACTOR",
}
_OPPS = (
    "NON-FACILITY PE USED FOR OPPS PAYMENT AMOUNT",
    "FACILITY PE USED FOR OPPS PAYMENT AMOUNT",
    "MP USED FOR OPPS PAYMENT AMOUNT",
)


def _number(cells: Cells, heading: str) -> str:
    value = decimal_text(cells.raw(heading), heading, blank=False)
    assert value is not None
    return value


def _optional(cells: Cells, heading: str) -> str | None:
    """A column some releases lack, or a blank cell: None."""
    return cells.text(heading) or None if heading in cells.columns else None


def read(cells: Cells, code: str, number: int) -> TableRow:
    return (
        code,
        cells.text("MOD").upper(),
        number,
        cells.text("DESCRIPTION"),
        cells.text("STATUS CODE").upper(),
        _optional(cells, "NOT USED FOR MEDICARE PAYMENT"),
        _number(cells, "WORK RVU"),
        _number(cells, "NON-FAC PE RVU"),
        _optional(cells, "NON-FAC NA INDICATOR"),
        _number(cells, "FACILITY PE RVU"),
        _optional(cells, "FACILITY NA INDICATOR"),
        _number(cells, "MP RVU"),
        _number(cells, "NON-FACILITY TOTAL"),
        _number(cells, "FACILITY TOTAL"),
        cells.text("PCTC IND"),
        cells.text("GLOB DAYS"),
        _number(cells, "PRE OP"),
        _number(cells, "INTRA OP"),
        _number(cells, "POST OP"),
        cells.text("MULT PROC"),
        cells.text("BILAT SURG"),
        cells.text("ASST SURG"),
        cells.text("CO- SURG") if "CO- SURG" in cells.columns else cells.text("CO-SURG"),
        cells.text("TEAM SURG"),
        _optional(cells, "ENDO BASE"),
        _number(cells, "CONV FACTOR"),
        _optional(cells, "PHYSICIAN SUPERVISION OF DIAGNOSTIC PROCEDURES"),
        _optional(cells, "CALCULATION FLAG"),
        _optional(cells, "DIAGNOSTIC IMAGING FAMILY INDICATOR"),
        *(decimal_text(cells.raw(h), h) if h in cells.columns else None for h in _OPPS),
    )


def _column(header: Header, pattern: str) -> int:
    import re

    for heading, column in header.columns.items():
        if re.fullmatch(pattern, heading):
            return column
    raise LoadError(f"no column {pattern!r}", where=header.sheet.where(header.index))


def _locality_rows(header: Header) -> list[tuple[int, Sequence[Cell]]]:
    """(row number, cells) of each locality row: the MAC is digits (footnotes are not)."""
    out = []
    for index in range(header.index + 1, len(header.sheet.rows)):
        row = header.sheet.rows[index]
        if row and text(row[0]).isdigit():
            out.append((index, row))
    return out


def _key(mac: Cell, locality: Cell) -> tuple[str, str]:
    """CMS writes MAC 02102 and locality 01 in one file, 2102 and 1 in another."""
    return text(mac).zfill(5), text(locality).zfill(2)


def localities(parsed: Parsed, gpci: tuple[str, Header], locco: tuple[str, Header] | None,
               anes: tuple[str, Header] | None) -> None:  # fmt: skip
    """pfs_localities from GPCI, with counties (25LOCCO) and anesthesia factors (ANES)."""
    counties: dict[tuple[str, str], str] = {}
    if locco is not None:
        _, h = locco
        at = h.columns["LOCALITY NUMBER"], h.columns["COUNTIES"]
        for _, row in _locality_rows(h):
            counties[_key(row[0], row[at[0]])] = " ".join(text(row[at[1]]).split())
    factors: dict[tuple[str, str], str | None] = {}
    if anes is not None:
        label, h = anes
        factor = _column(h, r"NATIONAL ANES CF.*")
        for index, row in _locality_rows(h):
            try:
                factors[_key(row[0], row[h.columns["LOCALITY"]])] = decimal_text(
                    row[factor], "anesthesia conversion factor"
                )
            except LoadError as e:
                raise e.located(file=label, where=h.sheet.where(index)) from None
    label, h = gpci
    work, pe, mp = (_column(h, rf"\d{{4}} {name} GPCI.*") for name in ("PW", "PE", "MP"))
    rows = parsed.tables.setdefault("pfs_localities", [])
    for index, row in _locality_rows(h):
        key = _key(row[0], row[h.columns["LOCALITY NUMBER"]])
        try:
            rows.append(
                (
                    *key,
                    text(row[h.columns["STATE"]]),
                    text(row[h.columns["LOCALITY NAME"]]),
                    decimal_text(row[work], "PW GPCI", blank=False),
                    decimal_text(row[pe], "PE GPCI", blank=False),
                    decimal_text(row[mp], "MP GPCI", blank=False),
                    counties.get(key),
                    factors.get(key),
                )
            )
        except LoadError as e:
            raise e.located(file=label, where=h.sheet.where(index)) from None


PARTS = (kinds.GPCI, kinds.LOCCO, kinds.ANES)
