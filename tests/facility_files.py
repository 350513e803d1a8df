"""The ASC addenda and OPPS Addendum B re-read independently of the loader (the workbook
reader and plain csv, columns found by their headings): the graph's facility fields are
tested on CMS's own values (issue 19)."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

LEVEL_II = re.compile(r"[A-CE-V]\d{4}")  # D codes are CDT (ADA), not stored

OPPS_FILES = {
    "opps-2019-01": Path("opps/2019-01/january_2019_opps_web_addendum_b.12312018.xlsx"),
    "opps-2020-01": Path("opps/2020-01/2020_january_web_addendum_b.12312019.xlsx"),
}
ASC_FILE = Path("asc/2025-01/january-2025-asc-approved-hcpcs-code-and-payment-rates.zip")


def _text(value: object) -> str:
    if isinstance(value, float):
        value = repr(value)
    return str(value).strip(" \xa0\t\r\n")


def amount(value: object, places: int = 2) -> str | None:
    """A decimal string as CMS publishes it: blank and '.' are none; `$` and `,` dropped;
    a workbook number as the workbook shows it (`places` decimals, half up: the cell may
    hold 16.128600000000002 or 81.179 where the sheet shows $16.13, $81.18); no trailing
    zeros."""
    text = _text(value).replace("$", "").replace(",", "")
    if text in ("", "."):
        return None
    exact = Decimal(text)
    if isinstance(value, float):
        exact = exact.quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)
    return format(exact.normalize(), "f")


def opps_rows(path: Path) -> list[dict]:
    """Addendum B's Level II rows, in file order."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    at = next(i for i, r in enumerate(rows) if r and _text(r[0]) == "HCPCS Code")
    col = {_text(h): i for i, h in enumerate(rows[at])}
    out = []
    for number, r in enumerate(rows[at + 1 :], start=at + 2):
        code = _text(r[0])
        if not LEVEL_II.fullmatch(code):
            continue
        out.append(
            {
                "code": code,
                "row": number,
                "short_description": _text(r[col["Short Descriptor"]]),
                "status_indicator": _text(r[col["SI"]]),
                "apc": _text(r[col["APC"]]) or None,
                "relative_weight": amount(r[col["Relative Weight"]], 4),
                "payment_rate": amount(r[col["Payment Rate"]]),
                "national_copayment": amount(r[col["National Unadjusted Copayment"]]),
                "minimum_copayment": amount(r[col["Minimum Unadjusted Copayment"]]),
                "changed": int(_text(r[col["* Indicates a Change"]]) == "*"),
            }
        )
    return out


def _csv(archive: zipfile.ZipFile, suffix: str) -> list[list[str]]:
    name = next(n for n in archive.namelist() if n.endswith(suffix))
    return list(csv.reader(io.StringIO(archive.read(name).decode("cp1252"), newline="")))


def asc_rows(path: Path) -> tuple[list[dict], dict[str, str]]:
    """The Level II rows of Addenda AA and BB (the 508 CSVs), and DD1's indicators."""
    out = []
    with zipfile.ZipFile(path) as archive:
        for addendum in ("AA", "BB"):
            rows = _csv(archive, f"ASC-{addendum}.csv")
            at = next(i for i, r in enumerate(rows) if r and r[0] == "HCPCS Code")
            heads = [re.sub(r"\s+", " ", h).strip() for h in rows[at]]

            def column(start: str, heads: list[str] = heads) -> int:
                return next(i for i, h in enumerate(heads) if h.startswith(start))

            for number, r in enumerate(rows[at + 1 :], start=at + 2):
                if not r or not LEVEL_II.fullmatch(r[0].strip()):
                    continue
                aa = addendum == "AA"
                out.append(
                    {
                        "code": r[0].strip(),
                        "row": number,
                        "addendum": addendum,
                        "short_description": r[2].strip(),
                        "payment_indicator": r[column("January 2025 Payment Indicator")].strip(),
                        "multiple_procedure_discounting": r[column("Subject to Multiple")].strip()
                        if aa
                        else None,
                        "pass_through_expiration": None
                        if aa
                        else (r[column("Drug and Device")].strip() or None),
                        "payment_weight": amount(r[column("January 2025 Payment Weight")]),
                        "payment_rate": amount(r[column("January 2025 Payment Rate")]),
                        "adjusted_copayment": None
                        if aa
                        else amount(r[column("January 2025 IRA-22")]),
                    }
                )
        dd1 = _csv(archive, "ASC-DD1.csv")
    meanings = {
        r[0].strip(): re.sub(r"[\s\ufffd\xa0\xff]+", " ", r[1]).strip()
        for r in dd1[2:]
        if r and r[0].strip()
    }
    return out, meanings
