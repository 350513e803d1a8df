"""CMS's payment files re-read independently of the loader (plain csv, zipfile and the
workbook reader, each column found by its heading as CMS writes it), for tests to compare
with what the database and the API hold."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

from python_calamine import CalamineWorkbook

LEVEL_II = re.compile(r"[A-CE-V]\d{4}")  # D codes are CDT (ADA), not stored


def _csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("cp1252"), newline="")))


def _clean(value: object) -> str:
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip(" \xa0\t\r\n")


def _table(rows: list[list[object]], first: str) -> tuple[list[str], list[list[str]]]:
    """(headings, data rows) after the row whose first cell is `first`."""
    at = next(i for i, r in enumerate(rows) if r and _clean(r[0]) == first)
    headings = [_clean(h) for h in rows[at]]
    data = [[_clean(v) for v in r] for r in rows[at + 1 :] if any(_clean(v) for v in r)]
    return headings, data


def number(text: str) -> Decimal | None:
    return None if text in ("", "N/A") else Decimal(text.replace("$", "").replace(",", ""))


def asp_pricing(zip_path: Path, member_suffix: str = ".csv") -> tuple[dict[str, dict], int]:
    """{code: fields} of the Level II rows, and how many rows are not Level II."""
    with zipfile.ZipFile(zip_path) as archive:
        name = next(n for n in archive.namelist() if n.lower().endswith(member_suffix))
        data = archive.read(name)
    if member_suffix == ".csv":
        rows: list[list[object]] = list(_csv(data))
    else:
        book = CalamineWorkbook.from_filelike(io.BytesIO(data))
        rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    headings, data_rows = _table(rows, "HCPCS Code")
    col = {h: i for i, h in enumerate(headings)}
    out, dropped = {}, 0
    for r in data_rows:
        if not LEVEL_II.fullmatch(r[0]):
            dropped += 1
            continue
        out[r[0]] = {
            "shortDescription": r[col["Short Description"]],
            "dosage": r[col["HCPCS Code Dosage"]],
            "paymentLimit": number(r[col["Payment Limit"]]),
            "coinsurancePercent": number(r[col["Co-insurance Percentage"]]),
            "vaccineAwpPercent": number(r[col["Vaccine AWP%"]]),
            "vaccineLimit": number(r[col["Vaccine Limit"]]),
            "bloodAwpPercent": number(r[col["Blood AWP%"]]),
            "bloodLimit": number(r[col["Blood limit"]]),
            "clottingFactor": r[col["Clotting Factor"]] == "1",
            "notes": r[col["Notes"]] or None,
        }
    return out, dropped


def ndc_crosswalk(path: Path) -> tuple[list[dict], int]:
    headings, data_rows = _table(_csv(path.read_bytes()), "_2025_CODE")
    col = {h: i for i, h in enumerate(headings)}
    out, dropped = [], 0
    for r in data_rows:
        if not LEVEL_II.fullmatch(r[0]):
            dropped += 1
            continue
        out.append(
            {
                "hcpcsCode": r[0],
                "shortDescription": r[col["Short Description"]],
                "labeler": r[col["LABELER NAME"]],
                "ndc": r[col["NDC2"]],
                "drugName": r[col["Drug Name"]],
                "hcpcsDosage": r[col["HCPCS dosage"]],
                "packageSize": Decimal(r[col["PKG SIZE"]]),
                "packageQuantity": Decimal(r[col["PKG QTY"]]),
                "billingUnits": Decimal(r[col["BILLUNITS"]]),
                "billingUnitsPerPackage": Decimal(r[col["BILLUNITSPKG"]]),
            }
        )
    return out, dropped


def dmepos_fees(path: Path) -> tuple[list[dict], int]:
    """Rows of DMEPOS or DMEPEN (CSV or XLSX)."""
    if path.suffix.lower() == ".xlsx":
        book = CalamineWorkbook.from_path(str(path))
        rows: list[list[object]] = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    else:
        rows = list(_csv(path.read_bytes()))
    headings, data_rows = _table(rows, "HCPCS")
    upper = [h.upper().replace(" ", "") for h in headings]
    states = [h[:2] for h in upper if h.endswith("(NR)")]
    out, dropped = [], 0
    for r in data_rows:
        if not LEVEL_II.fullmatch(r[0]):
            dropped += 1
            continue
        row = dict(zip(upper, r, strict=False))
        out.append(
            {
                "hcpcsCode": r[0],
                "modifiers": [m for m in (r[1], r[2]) if m],
                "jurisdiction": row.get("JURIS"),
                "category": row.get("CATG"),
                "ceiling": number(row["CEILING"]) if "CEILING" in row else None,
                "floor": number(row["FLOOR"]) if "FLOOR" in row else None,
                "shortDescription": row.get("DESCRIPTION", row.get("DESC", "")),
                "stateFees": [
                    (s, Decimal(row[f"{s}(NR)"]), Decimal(row[f"{s}(R)"])) for s in states
                ],
            }
        )
    return out, dropped


def _member(zip_path: Path, suffix: str) -> bytes:
    """The one member of CMS's ZIP whose name ends with `suffix`."""
    with zipfile.ZipFile(zip_path) as archive:
        [name] = [n for n in archive.namelist() if n.endswith(suffix)]
        return archive.read(name)


def _money(text: str) -> Decimal | None:
    return None if text in ("", ".") else Decimal(text.replace("$", "").replace(",", ""))


def pfs_rvus(zip_path: Path) -> tuple[dict[tuple[str, str], dict], int]:
    """PPRRVU's Level II rows by (code, modifier): the CSV, its columns by position as
    RVU25A.pdf lists them."""
    rows = _csv(_member(zip_path, "PPRRVU25_JAN.csv"))
    at = next(i for i, r in enumerate(rows) if r[:3] == ["HCPCS", "MOD", "DESCRIPTION"])
    out, dropped = {}, 0
    for r in rows[at + 1 :]:
        r = [v.strip() for v in r]
        if not r[0] or r[0] == "\x1a":
            continue
        if not LEVEL_II.fullmatch(r[0]):
            dropped += 1
            continue
        out[(r[0], r[1])] = {
            "description": r[2],
            "status": r[3],
            "workRvu": Decimal(r[5]),
            "nonFacilityPeRvu": Decimal(r[6]),
            "nonFacilityNa": r[7] or None,
            "facilityPeRvu": Decimal(r[8]),
            "facilityNa": r[9] or None,
            "mpRvu": Decimal(r[10]),
            "nonFacilityTotal": Decimal(r[11]),
            "facilityTotal": Decimal(r[12]),
            "pctc": r[13],
            "globalDays": r[14],
            "multProc": r[18],
            "bilatSurg": r[19],
            "asstSurg": r[20],
            "coSurg": r[21],
            "teamSurg": r[22],
            "conversionFactor": Decimal(r[24]),
        }
    return out, dropped


def gpci(zip_path: Path) -> dict[tuple[str, str], tuple[Decimal, Decimal, Decimal]]:
    """(MAC, locality) -> (work, PE, MP GPCI)."""
    rows = _csv(_member(zip_path, "GPCI2025.csv"))
    return {
        (r[0].strip(), r[2].strip()): (Decimal(r[4]), Decimal(r[5]), Decimal(r[6]))
        for r in rows
        if r and r[0].strip().isdigit()
    }


def clfs(zip_path: Path) -> tuple[dict[tuple[str, str], dict], int]:
    rows = _csv(_member(zip_path, ".csv"))
    at = next(i for i, r in enumerate(rows) if r[:2] == ["YEAR", "HCPCS"])
    out, dropped = {}, 0
    for r in rows[at + 1 :]:
        if not LEVEL_II.fullmatch(r[1]):
            dropped += 1
            continue
        out[(r[1], r[2])] = {
            "effectiveDate": f"{r[3][:4]}-{r[3][4:6]}-{r[3][6:]}",
            "indicator": r[4],
            "rate": Decimal(r[5]),
            "shortDescription": r[6].strip(),
        }
    return out, dropped


def asc(zip_path: Path) -> tuple[dict[str, dict], int]:
    """AA and BB's Level II rows by code, from the 508 CSVs (BB repeats a few rows)."""
    out, dropped = {}, 0
    for addendum in ("AA", "BB"):
        rows = _csv(_member(zip_path, f"ASC-{addendum}.csv"))
        at = next(i for i, r in enumerate(rows) if r and r[0] == "HCPCS Code")
        heads = [h.strip() for h in rows[at]]
        col = {h: i for i, h in enumerate(heads) if h}
        for r in rows[at + 1 :]:
            if not r or not r[0].strip() or r[0].startswith("NOTE"):
                continue
            if not LEVEL_II.fullmatch(r[0]):
                dropped += 1
                continue
            r = r + [""] * (len(heads) - len(r))
            out[r[0]] = {
                "addendum": addendum,
                "shortDescription": r[col["Short Descriptor"]].strip(),
                "paymentIndicator": r[col["January 2025 Payment Indicator"]],
                "paymentWeight": _money(r[col["January 2025  Payment Weight"]
                                          if addendum == "AA" else col["January 2025 Payment Weight"]].strip()),
                "paymentRate": _money(r[col["January 2025 Payment Rate"]].strip()),
            }  # fmt: skip
    return out, dropped


def opps(path: Path) -> tuple[dict[str, dict], int]:
    """Addendum B's Level II rows by code, as the workbook holds them (numbers unrounded)."""
    book = CalamineWorkbook.from_path(str(path))
    rows = book.get_sheet_by_name(book.sheet_names[0]).to_python()
    at = next(i for i, r in enumerate(rows) if str(r[0]).strip() == "HCPCS Code")

    def number(value: object) -> Decimal | None:
        if value in ("", "."):
            return None
        return Decimal(repr(value)) if isinstance(value, float) else Decimal(str(value))

    out, dropped = {}, 0
    for r in rows[at + 1 :]:
        code = str(r[0]).strip()
        if not code:
            continue
        if not LEVEL_II.fullmatch(code):
            dropped += 1
            continue
        out[code] = {
            "shortDescription": str(r[1]).strip(),
            "statusIndicator": str(r[2]).strip(),
            "apc": str(r[3]).strip() or None,
            "relativeWeight": number(r[4]),
            "paymentRate": number(r[5]),
            "nationalCopayment": number(r[6]),
            "minimumCopayment": number(r[7]),
            "changed": str(r[9]).strip() == "*",
        }
    return out, dropped
