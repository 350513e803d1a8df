"""CMS's physician fee schedule ZIP (RVU25A: PPRRVU25, GPCI2025, 25LOCCO, ANES2025) and
clinical lab fee schedule ZIP re-read independently of the loader (plain zipfile and csv,
each column found by its heading), for tests to compare with what the API serves."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from decimal import Decimal
from pathlib import Path

LEVEL_II = re.compile(r"[A-CE-V]\d{4}")  # D codes are CDT (ADA), not stored

PFS_ZIP = Path("pfs") / "2025-A" / "rvu25a-updated-01_10_2025.zip"
CLFS_ZIP = Path("clfs") / "2025-Q1" / "25CLABQ1.zip"

# PPRRVU25's columns in file order, named as pfs_rvus names them (its headings span four
# rows: "NON-FAC" / "NA" / "INDICATOR" and the like)
PFS_COLUMNS = (
    "code", "modifier", "description", "status", "not_used_for_medicare", "work_rvu",
    "nonfacility_pe_rvu", "nonfacility_na", "facility_pe_rvu", "facility_na", "mp_rvu",
    "nonfacility_total", "facility_total", "pctc", "global_days", "pre_op", "intra_op",
    "post_op", "mult_proc", "bilat_surg", "asst_surg", "co_surg", "team_surg", "endo_base",
    "conversion_factor", "supervision", "calculation_flag", "imaging_family",
    "nonfacility_pe_opps", "facility_pe_opps", "mp_opps",
)  # fmt: skip
_NUMBERS = {
    "work_rvu", "nonfacility_pe_rvu", "facility_pe_rvu", "mp_rvu", "nonfacility_total",
    "facility_total", "pre_op", "intra_op", "post_op", "conversion_factor",
    "nonfacility_pe_opps", "facility_pe_opps", "mp_opps",
}  # fmt: skip


def _member(archive: zipfile.ZipFile, prefix: str) -> list[list[str]]:
    name = next(
        n for n in archive.namelist() if n.upper().startswith(prefix) and n.endswith(".csv")
    )
    text = archive.read(name).decode("cp1252")
    return [[c.strip(" \xa0") for c in r] for r in csv.reader(io.StringIO(text, newline=""))]


def shortest(text: str) -> str:
    """A number in the one form the database stores ("2.60" -> "2.6", "00720.00" -> "720")."""
    return format(Decimal(text).normalize(), "f")


def rvus(pfs_zip: Path) -> list[dict[str, str | None]]:
    """PPRRVU25's Level II rows in file order, each {pfs_rvus column: value} (blank: None)."""
    with zipfile.ZipFile(pfs_zip) as archive:
        rows = _member(archive, "PPRRVU")
    at = next(i for i, r in enumerate(rows) if r[:2] == ["HCPCS", "MOD"])
    out = []
    for number, r in enumerate(rows[at + 1 :], start=at + 2):
        if not r or not LEVEL_II.fullmatch(r[0]):
            continue
        row: dict[str, str | None] = {"row": str(number)}
        for name, value in zip(PFS_COLUMNS, r, strict=False):
            if name in ("modifier", "description"):  # M1389 has no description
                row[name] = value
            elif not value:
                row[name] = None
            else:
                row[name] = shortest(value) if name in _NUMBERS else value
        out.append(row)
    return out


def localities(pfs_zip: Path) -> list[dict[str, str | None]]:
    """GPCI2025's localities with 25LOCCO's counties and ANES2025's conversion factor."""
    with zipfile.ZipFile(pfs_zip) as archive:
        gpci = _member(archive, "GPCI")
        locco = _member(archive, "25LOCCO")
        anes = _member(archive, "ANES")
    counties = {(r[0].zfill(5), r[1].zfill(2)): r[4] for r in locco if r and r[0].strip().isdigit()}
    anesthesia = {(r[0], r[1]): r[3] for r in anes if r and r[0].isdigit()}
    out = []
    for r in gpci:
        if not (r and re.fullmatch(r"\d{5}", r[0])):
            continue
        key = (r[0], r[2])
        out.append(
            {
                "mac": r[0], "state": r[1], "locality": r[2], "name": r[3],
                "work_gpci": shortest(r[4]), "pe_gpci": shortest(r[5]),
                "mp_gpci": shortest(r[6]), "counties": counties.get(key),
                "anesthesia_cf": shortest(anesthesia[key]) if key in anesthesia else None,
            }
        )  # fmt: skip
    return out


def lab_fees(clfs_zip: Path) -> list[dict[str, str]]:
    """The CLFS CSV's Level II rows, in file order."""
    with zipfile.ZipFile(clfs_zip) as archive:
        rows = _member(archive, "CLFS")
    at = next(i for i, r in enumerate(rows) if r[:2] == ["YEAR", "HCPCS"])
    out = []
    for number, r in enumerate(rows[at + 1 :], start=at + 2):
        if not r or not LEVEL_II.fullmatch(r[1]):
            continue
        date = r[3]
        out.append(
            {
                "row": str(number), "code": r[1], "modifier": r[2],
                "effective_date": f"{date[:4]}-{date[4:6]}-{date[6:]}", "indicator": r[4],
                "rate": shortest(r[5]), "short_description": r[6],
            }
        )  # fmt: skip
    return out
