"""CMS's annual transaction reports and correction lists, read from the ZIPs in place.

Each annual ZIP from 2017 to 2020 carries a report of every code and modifier in the new file
with its type of change, twice: a workbook and fixed-width .prn text. The workbook is the one
to trust: its cells hold the whole type of change, where the 2019 and 2020 .prn files cut it
at the next column ("Long Description Chang"). `read_prn` reads the .prn files all the same,
so that a test can show both say the same.

CMS also publishes corrections to an annual file after it ships (2017-2019 here);
`read_corrections` lists the codes they name.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from python_calamine import CalamineWorkbook

# Year -> (ZIP under the CMS folder, workbook member, .prn member): the "by HCPCS code" report.
REPORTS = {
    2017: (
        "2017/2017-Alpha-Numeric-HCPCS-File.zip",
        "HCPCS2017_Trans Report_Alpha.xlsx",
        "HCPCS2017_Trans Report_ChangesbyHCPC.prn",
    ),
    2018: (
        "2018/2018-Alpha-Numeric-HCPCS-File.zip",
        "HCPC18_Trans_Report_Alpha.xlsx",
        "HCPC18_Trans_Report_Alpha_ChangesbyHCPC.prn",
    ),
    2019: (
        "2019/2019-Alpha-Numeric-HCPCS-File.zip",
        "HCPC2019_Trans_Alpha.xlsx",
        "Changes_by_HCPCSCode.prn",
    ),
    2020: (
        "2020/2020-Alpha-Numeric-HCPCS-File.zip",
        "HCPC2020_TRANS_ALPHA_w_disclaimer.xlsx",
        "Changes_by_HCPC.prn",
    ),
}

# The report's wording (lower case, any prefix of it: the .prn cuts it) -> our category.
CATEGORIES = {
    "add": "ADD",
    "discontinued": "DISCONTINUED",
    "re-activated": "REACTIVATED",
    "long description change": "LONG DESC",
    "short description change": "SHORT DESC",
    "payment change": "PAYMENT",
    "coverage change": "COVERAGE",
    "coverage & long desc change": "COVERAGE AND LONG DESC",  # 2017
    "coverage and long desc change": "COVERAGE AND LONG DESC",  # 2019
    "misc change (tos, betos)": "MISC",
    "no change": "NO CHANGE",
}
# Our category -> the action code CMS's "Action Code Key" sheet gives the same change.
ACTION_CODES = {
    "ADD": "A",
    "COVERAGE AND LONG DESC": "B",
    "LONG DESC": "C",
    "DISCONTINUED": "D",
    "COVERAGE": "F",
    "NO CHANGE": "N",
    "PAYMENT": "P",
    "REACTIVATED": "R",
    "SHORT DESC": "S",
    "MISC": "T",
}
HEADERS = ("hcpcs/modifier code", "hcpcs/mod", "hcpc/mod")

# Year -> the ZIP of corrections CMS published to that year's annual file.
CORRECTIONS = {
    2017: "2017/2017-HCPCS-Alpha-Numeric-Corrections.zip",
    2018: "2018/2018-HCPCS-Alpha-Numeric-Corrections.zip",
    2019: "2019/2019-HCPCS-Alpha-Numeric-Corrections.zip",
}


def normalise(text: str) -> str:
    said = " ".join(text.split()).lower()
    found = {cat for words, cat in CATEGORIES.items() if words.startswith(said)}
    if len(said) < 3 or len(found) != 1:
        raise ValueError(f"unknown type of change {text!r}")
    return found.pop()


def _member(cms: Path, year: int, which: int) -> bytes:
    zip_path, *members = REPORTS[year]
    with zipfile.ZipFile(cms / zip_path) as zf:
        return zf.read(members[which])


def _add(found: dict[str, str], code: str, text: str) -> None:
    if code in found:
        raise ValueError(f"{code} listed twice")
    found[code] = normalise(text)


def read_xlsx(cms: Path, year: int) -> dict[str, str]:
    """{code: category} from the workbook's "Changes by HCPCS Code" sheet."""
    book = CalamineWorkbook.from_filelike(io.BytesIO(_member(cms, year, 0)))
    [sheet] = [s for s in book.sheet_names if s.lower() == "changes by hcpcs code"]
    found: dict[str, str] = {}
    started = False  # rows before the header are CMS's disclaimer (2020)
    for row in book.get_sheet_by_name(sheet).to_python():
        code, text = str(row[0]).strip(), str(row[1]).strip()
        if not started:
            started = code.lower() in HEADERS
        elif code:
            _add(found, code.upper(), text)
    if not started:
        raise ValueError(f"{year}: no header row in {sheet}")
    return found


def read_prn(cms: Path, year: int) -> dict[str, str]:
    """{code: category} from the .prn text: the code, then the type of change up to the
    short description's column where there is one (2019, 2020)."""
    lines = _member(cms, year, 1).decode("latin-1").splitlines()
    [start] = [i for i, line in enumerate(lines) if line.strip().lower().startswith(HEADERS)]
    header = lines[start].upper()
    end = header.find("SHORT DESCRIPTION")
    found: dict[str, str] = {}
    for line in lines[start + 1 :]:
        code, _, text = line[: end if end > 0 else None].strip().partition(" ")
        if code:
            _add(found, code.upper(), text)
    return found


def read_corrections(cms: Path, year: int) -> dict[str, str]:
    """{code: CMS's action} for every code in the corrections to `year`'s annual file. The
    2018 ZIP holds four cumulative versions, the 2019 one a first list and an addendum: all
    are read, and a code's distinct actions joined with "; " in version order."""
    found: dict[str, str] = {}
    with zipfile.ZipFile(cms / CORRECTIONS[year]) as zf:
        for name in sorted(n for n in zf.namelist() if n.lower().endswith(".xlsx")):
            book = CalamineWorkbook.from_filelike(io.BytesIO(zf.read(name)))
            started = False  # a title row comes first
            for row in book.get_sheet_by_name(book.sheet_names[0]).to_python():
                code = str(row[0]).strip().upper()
                action = " ".join(str(row[1]).split()) if len(row) > 1 else ""
                if started and code and action not in found.get(code, "").split("; "):
                    found[code] = f"{found[code]}; {action}" if code in found else action
                started = started or code == "CODE"
    return found
