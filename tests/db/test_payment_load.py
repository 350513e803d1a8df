"""Loading CMS's payment files: every Level II row stored with exact values (compared with
an independent re-read, tests/payment_files.py), the rest dropped and counted, and the
same load rules as HCPCS releases."""

from __future__ import annotations

import io
import json
import shutil
import sqlite3
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.kinds import UNKNOWN
from hcpcs_graph.db.payments.load import list_payments, load_payment
from hcpcs_graph.db.payments.sources import open_payment
from hcpcs_graph.server.cli import main
from tests import payment_files as reread
from tests.conftest import PAYMENT_FILES
from tests.db.refusals import check_refused, sha


def _load(db: Path, path: Path, **options: str) -> None:
    load_payment(db, open_payment(str(path), **options))


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _number(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def test_asp_pricing_file_every_level_ii_row_exact(payment_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _load(db, PAYMENT_FILES["asp-2025-01"])
    expected, dropped = reread.asp_pricing(PAYMENT_FILES["asp-2025-01"])
    stored = {
        r[0]: {
            "shortDescription": r[1],
            "dosage": r[2],
            "paymentLimit": _number(r[3]),
            "coinsurancePercent": _number(r[4]),
            "vaccineAwpPercent": _number(r[5]),
            "vaccineLimit": _number(r[6]),
            "bloodAwpPercent": _number(r[7]),
            "bloodLimit": _number(r[8]),
            "clottingFactor": bool(r[9]),
            "notes": r[10],
        }
        for r in _rows(
            db,
            "SELECT code, short_description, dosage, payment_limit, coinsurance_percent,"
            " vaccine_awp_percent, vaccine_limit, blood_awp_percent, blood_limit,"
            " clotting_factor, notes FROM asp_prices",
        )
    }
    assert stored == expected
    assert len(stored) == 843
    [release] = list_payments(db)
    assert release["id"] == "asp-2025-01"
    assert (release["effective_from"], release["effective_through"]) == (
        "2025-01-01",
        "2025-03-31",
    )
    assert release["dropped"] == {"CPT": dropped} == {"CPT": 34}
    assert release["row_count"] == release["code_count"] == 843


def test_asp_xls_and_its_508_csv_load_the_same_values(payment_files: Path, tmp_path: Path) -> None:
    """CMS's two files of one release store the same values. The XLS's numbers are binary
    doubles (146.312, 20.0) where the CSV writes 3 decimals (146.312, 20.000): both are
    stored as the same decimal text. The real difference: 65 cells of the XLS hold a
    computed number unrounded (58 inflation-adjusted co-insurance percentages, 6 payment
    limits, P9041's blood limit; J2247's limit is 0.3087723288), which the workbook shows,
    and the CSV writes, to 3 decimals: the loader stores the published 3 decimals."""
    archive = PAYMENT_FILES["asp-2025-01"]
    with zipfile.ZipFile(archive) as z:
        [xls] = [n for n in z.namelist() if n.endswith(".xls")]
        (tmp_path / "asp.xls").write_bytes(z.read(xls))
    from_zip, from_xls = tmp_path / "zip.db", tmp_path / "xls.db"
    _load(from_zip, archive)
    _load(from_xls, tmp_path / "asp.xls")
    everything = "SELECT * FROM asp_prices ORDER BY code"
    assert _rows(from_zip, everything) == _rows(from_xls, everything)
    # independently: the files, read without the loader, differ in exactly those cells,
    # and agree once the XLS is rounded to 3 decimals
    xls, _ = reread.asp_pricing(archive, ".xls")
    csv, _ = reread.asp_pricing(archive)
    unrounded = {
        (code, name)
        for code, fields in xls.items()
        for name, value in fields.items()
        if value != csv[code][name]
    }
    assert len(unrounded) == 65
    assert ("J2247", "paymentLimit") in unrounded
    assert xls["J2247"]["paymentLimit"] == Decimal("0.3087723288")
    for code, name in unrounded:
        assert xls[code][name].quantize(Decimal("0.001"), "ROUND_HALF_UP") == csv[code][name]
    [a], [b] = list_payments(from_zip), list_payments(from_xls)
    assert a["source_name"].endswith(".csv") and b["source_name"] == "asp.xls"


def test_ndc_crosswalk_every_level_ii_row_exact(payment_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    _load(db, PAYMENT_FILES["ndc-2025-10"])
    expected, dropped = reread.ndc_crosswalk(PAYMENT_FILES["ndc-2025-10"])
    stored = [
        {
            "hcpcsCode": r[0],
            "ndc": r[1],
            "shortDescription": r[3],
            "labeler": r[4],
            "drugName": r[5],
            "hcpcsDosage": r[6],
            "packageSize": Decimal(r[7]),
            "packageQuantity": Decimal(r[8]),
            "billingUnits": Decimal(r[9]),
            "billingUnitsPerPackage": Decimal(r[10]),
        }
        for r in _rows(
            db,
            "SELECT code, ndc, ndc11, short_description, labeler, drug_name, dosage,"
            " package_size, package_quantity, billing_units, billing_units_per_package"
            " FROM ndc_crosswalk ORDER BY row",
        )
    ]
    assert stored == expected
    assert len(stored) == 8218
    [release] = list_payments(db)
    assert release["dropped"] == {"CPT": dropped} == {"CPT": 27}
    # an NDC written 5-4-2 is kept as its 11 digits too; CMS's product ids are not NDCs
    pairs = dict(_rows(db, "SELECT ndc, ndc11 FROM ndc_crosswalk"))
    assert pairs["00270-7015-46"] == "00270701546"
    assert pairs["GG100"] is None


@pytest.mark.parametrize("name", ["DMEPOS_JAN.csv", "DMEPOS_JAN.xlsx", "DMEPEN_JAN.csv"])
def test_dmepos_and_dmepen_every_row_exact(payment_files: Path, tmp_path: Path, name: str) -> None:
    path = payment_files / "dmepos" / "2025-01" / name
    db = tmp_path / "p.db"
    _load(db, path)
    expected, dropped = reread.dmepos_fees(path)
    stored = [
        {
            "hcpcsCode": r[0],
            "modifiers": [m for m in (r[1], r[2]) if m],
            "jurisdiction": r[3],
            "category": r[4],
            "ceiling": _number(r[5]),
            "floor": _number(r[6]),
            "shortDescription": r[7],
            "stateFees": [(s, Decimal(nr), Decimal(rural)) for s, nr, rural in json.loads(r[8])],
        }
        for r in _rows(
            db,
            "SELECT code, modifier, modifier2, jurisdiction, category, ceiling, floor,"
            " short_description, fees FROM dmepos_fees ORDER BY row",
        )
    ]
    assert stored == expected
    assert dropped == 0
    assert all(len(r["stateFees"]) == 53 for r in stored)
    [release] = list_payments(db)
    assert release["id"] == ("dmepen-2025-01" if "PEN" in name else "dmepos-2025-01")
    assert release["effective_through"] is None  # until the next release of the schedule


def test_the_dmepos_csv_and_xlsx_store_the_same_rows(payment_files: Path, tmp_path: Path) -> None:
    folder = payment_files / "dmepos" / "2025-01"
    _load(tmp_path / "csv.db", folder / "DMEPOS_JAN.csv")
    _load(tmp_path / "xlsx.db", folder / "DMEPOS_JAN.xlsx")
    everything = "SELECT * FROM dmepos_fees ORDER BY row"
    assert _rows(tmp_path / "csv.db", everything) == _rows(tmp_path / "xlsx.db", everything)


def test_a_repeated_load_changes_nothing_and_another_file_needs_replace(
    payment_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "p.db"
    folder = payment_files / "dmepos" / "2025-01"
    assert main(["load", str(folder / "DMEPOS_JAN.csv"), "--db", str(db)]) == 0
    before = sha(db)
    assert main(["load", str(folder / "DMEPOS_JAN.csv"), "--db", str(db)]) == 0
    out, _ = capsys.readouterr()
    assert "is already loaded as schedule release dmepos-2025-01; nothing to do" in out
    assert sha(db) == before
    assert main(["load", str(folder / "DMEPOS_JAN.xlsx"), "--db", str(db)]) == 2
    _, err = capsys.readouterr()
    assert err == (
        "hcpcs: error: DMEPOS_JAN.xlsx: schedule release dmepos-2025-01 is already loaded "
        "from DMEPOS_JAN.csv; pass --replace to load this file in its place\n"
    )
    assert sha(db) == before
    assert main(["load", str(folder / "DMEPOS_JAN.xlsx"), "--db", str(db), "--replace"]) == 0
    out, _ = capsys.readouterr()
    assert out.startswith("Replaced schedule release dmepos-2025-01 from DMEPOS_JAN.xlsx")
    [release] = list_payments(db)
    assert release["source_name"] == "DMEPOS_JAN.xlsx"


def test_the_summary_and_hcpcs_releases(
    payment_files: Path, sample_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["load", str(PAYMENT_FILES["ndc-2025-10"]), "--db", str(sample_db)]) == 0
    out, _ = capsys.readouterr()
    lines = out.splitlines()
    assert lines[:4] == [
        "Loaded schedule release ndc-2025-10 from October 2025 ASP NDC-HCPCS Crosswalk.csv",
        "  in force:  2025-10-01 through 2025-12-31",
        "  rows:      8,218 (966 Level II codes)",
        "  dropped:   CPT 27 (not HCPCS Level II: CPT and CDT are not ours to serve)",
    ]
    assert main(["releases", "--db", str(sample_db)]) == 0
    out, _ = capsys.readouterr()
    assert "ndc-2025-10      2025-10-01 2025-12-31   8218   966  October 2025" in out
    assert "2026-04" in out  # the HCPCS release is listed too (the sample stays)


def _cut_inside_a_row(path: Path) -> bytes:
    data = path.read_bytes()
    at = data.index(b"00270-7015-46")  # A9573's NDC; the row's columns after it are lost
    return data[: at + len(b"00270-7015-46")]


def _replace(path: Path, old: bytes, new: bytes) -> bytes:
    data = path.read_bytes()
    assert data.count(old) >= 1
    return data.replace(old, new, 1)


def _zip(*members: tuple[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in members:
            archive.writestr(name, data)
    return out.getvalue()


NDC_TITLE = b'"     Effective October 1, 2025 through December 31, 2025"'

BAD = {
    "truncated": (
        "October 2025 ASP NDC-HCPCS Crosswalk.csv",
        lambda: _cut_inside_a_row(PAYMENT_FILES["ndc-2025-10"]),
        "October 2025 ASP NDC-HCPCS Crosswalk.csv: row 37: field DRUG NAME: the row has 4 "
        "columns, the header 250: the file is cut short, or the row is broken",
    ),
    "wrong-header": (
        "DMEPOS_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepos-2025-01"], b",CATG,", b",CATEGORY,"),
        "DMEPOS_JAN.csv: row 7: header row lacks the column(s) CATG of a DMEPOS fee schedule",
    ),
    "non-numeric-amount": (
        "DMEPEN_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepen-2025-01"], b"B4034,,,3.84,", b"B4034,,,3.8A4,"),
        "DMEPEN_JAN.csv: row 6: field AL (NR): '3.8A4' is not a number",
    ),
    "amount-with-a-stray-comma": (
        "DMEPEN_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepen-2025-01"], b"B4034,,,3.84,", b'B4034,,,"12,34",'),
        "DMEPEN_JAN.csv: row 6: field AL (NR): '12,34' is not a number",
    ),
    "a-row-without-its-code": (
        "DMEPEN_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepen-2025-01"], b"B4034,,,3.84,", b",,,3.84,"),
        "DMEPEN_JAN.csv: row 6: field HCPCS: '' is not a HCPCS code",
    ),
    "negative-amount": (
        "DMEPEN_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepen-2025-01"], b"B4034,,,3.84,", b"B4034,,,-3.84,"),
        "DMEPEN_JAN.csv: row 6: field AL (NR): '-3.84' is not a number",
    ),
    "period-ending-before-it-starts": (
        "crosswalk.csv",
        lambda: _replace(
            PAYMENT_FILES["ndc-2025-10"],
            NDC_TITLE,
            b'"Effective October 1, 2025 through December 31, 2024"',
        ),
        "crosswalk.csv: the title's period 'Effective October 1, 2025 through December 31, "
        "2024' ends before it starts",
    ),
    "period-ending-on-no-date": (
        "crosswalk.csv",
        lambda: _replace(
            PAYMENT_FILES["ndc-2025-10"],
            NDC_TITLE,
            b'"Effective October 1, 2025 through December 32, 2025"',
        ),
        "crosswalk.csv: the title's period 'Effective October 1, 2025 through December 32, "
        "2025' ends on no date",
    ),
    "a-state-column-missing": (
        "DMEPOS_JAN.csv",
        lambda: _replace(PAYMENT_FILES["dmepos-2025-01"], b",NY (R),", b",NY (Rural),"),
        "DMEPOS_JAN.csv: row 7: the header's column NY (R) is missing",
    ),
    "blank-ndc": (
        "crosswalk.csv",
        lambda: _replace(PAYMENT_FILES["ndc-2025-10"], b"00270-7015-46", b""),
        "crosswalk.csv: row 37: field NDC2: is blank: the row names no package",
    ),
    "ndc-listed-twice-for-a-code": (
        "crosswalk.csv",
        lambda: _replace(PAYMENT_FILES["ndc-2025-10"], b"50242-0061-01", b"50242-0060-01"),
        "crosswalk.csv: row 5571: J9035 50242-0060-01 is listed twice, with other values "
        "(first at row 5570)",
    ),
    "two-schedules-in-one-zip": (
        "two.zip",
        lambda: _zip(
            ("DMEPEN_JAN.csv", PAYMENT_FILES["dmepen-2025-01"].read_bytes()),
            ("DMEPOS_JAN.csv", PAYMENT_FILES["dmepos-2025-01"].read_bytes()),
        ),
        "two.zip: the ZIP holds a DMEPEN fee schedule (parenteral and enteral nutrition) "
        "(DMEPEN_JAN.csv) and a DMEPOS fee schedule (DMEPOS_JAN.csv): load each file on its own",
    ),
    "truncated-zip": (
        "asp.zip",
        lambda: PAYMENT_FILES["asp-2025-01"].read_bytes()[:30000],
        "asp.zip: not a readable ZIP (File is not a zip file)",
    ),
    "unknown-kind": (
        "fees.csv",
        lambda: b"Fee schedule,,\nEffective January 1, 2025,,\nCODE,AMOUNT,NOTE\nJ9035,1.00,\n",
        f"fees.csv: {UNKNOWN}: no such file's header row in its first 30 rows "
        "(--kind names the kind)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_payment_file_is_one_line_exit_2_and_the_database_is_untouched(
    payment_files: Path,
    sample_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    name, make, message = BAD[case]
    check_refused(sample_db, tmp_path / name, make(), message, capsys)


def test_effective_when_the_title_rows_do_not_say(payment_files: Path, tmp_path: Path) -> None:
    untitled = tmp_path / "pen.csv"
    untitled.write_bytes(
        _replace(PAYMENT_FILES["dmepen-2025-01"], b"January 2025 Fee Schedule", b"Fee Schedule")
    )
    with pytest.raises(LoadError, match="pass --effective YYYY-MM-DD"):
        open_payment(str(untitled))
    db = tmp_path / "p.db"
    _load(db, untitled, effective="2025-04-01:2025-06-30")
    [release] = list_payments(db)
    assert (release["id"], release["effective_through"]) == ("dmepen-2025-04", "2025-06-30")
    with pytest.raises(LoadError, match="is not YYYY-MM-DD"):
        open_payment(str(untitled), effective="April 2025")


def test_kind_overrides_the_guess(payment_files: Path) -> None:
    with pytest.raises(LoadError, match="no header row of an ASP pricing file"):
        open_payment(str(PAYMENT_FILES["ndc-2025-10"]), kind="asp")
    assert open_payment(str(PAYMENT_FILES["dmepen-2025-01"]), kind="dmepen").release == (
        "dmepen-2025-01"
    )


def test_read_only_shared_files_are_read_in_place(payment_files: Path, tmp_path: Path) -> None:
    """Loads only read what they are given: a copy in tmp_path loads like the original."""
    copy = tmp_path / "DMEPEN_JAN.csv"
    shutil.copyfile(PAYMENT_FILES["dmepen-2025-01"], copy)
    assert open_payment(str(copy)).release == "dmepen-2025-01"


def test_progress_is_reported_while_the_rows_are_read(payment_files: Path, tmp_path: Path) -> None:
    calls: list[tuple[int, int]] = []
    load_payment(
        tmp_path / "p.db",
        open_payment(str(PAYMENT_FILES["dmepos-2025-01"])),
        progress=lambda done, total: calls.append((done, total)),
    )
    assert len(calls) == 6  # rows 500, 1000, ... 3000 of 3494
    assert calls == sorted(calls) and all(total == 3494 for _, total in calls)


def test_the_same_file_for_another_period_is_another_release(
    payment_files: Path, tmp_path: Path
) -> None:
    db = tmp_path / "p.db"
    _load(db, PAYMENT_FILES["dmepen-2025-01"])
    result = load_payment(
        db, open_payment(str(PAYMENT_FILES["dmepen-2025-01"]), effective="2025-04-01")
    )
    assert (result.status, result.release) == ("loaded", "dmepen-2025-04")
    assert [r["id"] for r in list_payments(db)] == ["dmepen-2025-04", "dmepen-2025-01"]
    with pytest.raises(LoadError, match="is not a date of Medicare's files"):
        open_payment(str(PAYMENT_FILES["dmepen-2025-01"]), effective="0001-01-01")


def test_a_truncated_hcpcs_zip_is_one_line(
    cms_files: Path, sample_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    cut = tmp_path / "2019-Alpha-Numeric-HCPCS-File.zip"
    cut.write_bytes((cms_files / "2019" / cut.name).read_bytes()[:30000])
    assert main(["load", str(cut), "--db", str(sample_db)]) == 2
    _, err = capsys.readouterr()
    assert err.count("\n") == 1 and "not a readable ZIP" in err
