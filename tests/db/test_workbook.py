"""The workbook reader on small synthetic XLSX files built with openpyxl."""

from __future__ import annotations

import io

import openpyxl
import pytest

from hcpcs_graph.db import workbook
from hcpcs_graph.db.errors import LoadError

HEADER = [
    "HCPC", "SEQNUM", "RECID", "LONG DESCRIPTION", "SHORT DESCRIPTION",
    "PRICE1", "PRICE2", "PRICE3", "PRICE4", "MULT_PI", "CIM1", "CIM2", "CIM3",
    "MCM1", "MCM2", "MCM3", "STATUTE",
    *[f"LABCERT{i}" for i in range(1, 9)], *[f"XREF{i}" for i in range(1, 6)],
    "COV", "ASC_GRP", "ASC_DT", "OPPS", "OPPS_PI", "OPPS_DT", "PROCNOTE", "BETOS",
    *[f"TOS{i}" for i in range(1, 6)], "ANEST_BU", "ADD DT", "ACT EFF DT", "TERM DT", "ACTION CD",
]  # fmt: skip


def row(code: str = "G6002", recid: str = "3", **values: object) -> list[object]:
    cells: dict[str, object] = {h: "" for h in HEADER}
    cells.update(
        {
            "HCPC": code,
            "SEQNUM": "0010",
            "RECID": recid,
            "LONG DESCRIPTION": "Stereoscopic x-ray guidance",
            "SHORT DESCRIPTION": "Stereo x-ray",
            "PRICE1": "13",
            "MULT_PI": "A",
            "COV": "C",
            "BETOS": "I4B",
            "TOS1": "6",
            "ANEST_BU": "  0",
            "ADD DT": "20150101",
            "ACT EFF DT": "20150101",
            "ACTION CD": "N",
        }
    )
    cells.update({k.replace("__", " "): v for k, v in values.items()})
    return [cells[h] for h in HEADER]


def xlsx(*rows: list[object], header: list[str] | None = HEADER, preamble: int = 0) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "HCPC2025_OCT_ANWEB"
    for _ in range(preamble):
        sheet.append(["***Disclaimers"])
    if header is not None:
        sheet.append(header)
    for r in rows:
        sheet.append(r)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_rows_become_records_like_the_fixed_width_file() -> None:
    data = xlsx(
        row("   A1", "7", SEQNUM="0010", TOS1=""),
        row("G6002", ADD__DT=20150101, TERM__DT="20251231", PRICE2="", PRICE3="51"),
        row("G6002", "4", SEQNUM="0020", **{"LONG DESCRIPTION": "continued"}),
        [""] * len(HEADER),
        preamble=3,
    )
    parsed = workbook.read(data, "HCPC.xlsx")
    a1, g6002 = parsed.records
    assert (a1.code, a1.is_modifier, a1.types_of_service) == ("A1", True, [])
    assert g6002.sequence == 100  # SEQNUM 0010 is the layout's 00100
    assert g6002.pricing_indicators == ["13", "51"]
    assert g6002.long_description == "Stereoscopic x-ray guidance continued"
    assert (g6002.added_date, g6002.termination_date) == ("2015-01-01", "2025-12-31")
    assert g6002.anesthesia_base_units == 0
    assert parsed.lines == 3


def test_missing_header() -> None:
    with pytest.raises(LoadError) as caught:
        workbook.read(xlsx(row(), header=None), "HCPC.xlsx")
    assert str(caught.value) == (
        "HCPC.xlsx: no sheet has the expected header row (HCPC, SEQNUM, RECID, "
        "LONG DESCRIPTION, ...) in its first 50 rows"
    )


def test_header_without_a_column() -> None:
    header = [h for h in HEADER if h != "BETOS"]
    with pytest.raises(LoadError) as caught:
        workbook.read(xlsx(header=header, preamble=2), "HCPC.xlsx")
    assert str(caught.value) == (
        "HCPC.xlsx: sheet 'HCPC2025_OCT_ANWEB' row 3: header row lacks the column(s) BETOS"
    )


def test_bad_cell_names_sheet_row_and_field() -> None:
    data = xlsx(row("G6001"), row("G6002", **{"ACT EFF DT": "2026-01-01"}))
    with pytest.raises(LoadError) as caught:
        workbook.read(data, "HCPC.xlsx")
    assert str(caught.value) == (
        "HCPC.xlsx: sheet 'HCPC2025_OCT_ANWEB' row 3: field action_effective_date: "
        "'2026-01-01' is not a YYYYMMDD date"
    )


def test_not_a_workbook() -> None:
    with pytest.raises(LoadError, match=r"^HCPC.xlsx: not a readable XLSX/XLS workbook"):
        workbook.read(b"PK\x03\x04 this is no workbook", "HCPC.xlsx")
