"""Loading the physician, lab, ASC and OPPS fee schedules (issue 19): every Level II row
stored with the values an independent re-read finds (tests/payment_files.py), the RVU ZIP's
localities beside its RVUs, CMS's correction of OPPS January 2020, and bad input."""

from __future__ import annotations

import io
import sqlite3
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments.load import list_payments, load_payment
from hcpcs_graph.db.payments.sources import open_payment
from hcpcs_graph.server.cli import main
from tests import payment_files as reread
from tests.conftest import OPPS_CORRECTION, PAYMENT_FILES
from tests.db.refusals import check_refused, sha


def _load(db: Path, path: Path, **options: object):
    return load_payment(db, open_payment(str(path)), **options)  # type: ignore[arg-type]


def _rows(db: Path, sql: str) -> list[tuple]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def _d(text: str | None) -> Decimal | None:
    return None if text is None else Decimal(text)


def _cents(value: Decimal | None, places: str = "0.01") -> Decimal | None:
    return None if value is None else value.quantize(Decimal(places), ROUND_HALF_UP)


def test_pfs_rvus_and_localities_every_level_ii_row(payment_files: Path, tmp_path: Path) -> None:
    db = tmp_path / "p.db"
    result = _load(db, PAYMENT_FILES["pfs-2025-01"])
    expected, dropped = reread.pfs_rvus(PAYMENT_FILES["pfs-2025-01"])
    stored = {
        (r[0], r[1]): {
            "description": r[2], "status": r[3], "workRvu": _d(r[4]),
            "nonFacilityPeRvu": _d(r[5]), "nonFacilityNa": r[6], "facilityPeRvu": _d(r[7]),
            "facilityNa": r[8], "mpRvu": _d(r[9]), "nonFacilityTotal": _d(r[10]),
            "facilityTotal": _d(r[11]), "pctc": r[12], "globalDays": r[13], "multProc": r[14],
            "bilatSurg": r[15], "asstSurg": r[16], "coSurg": r[17], "teamSurg": r[18],
            "conversionFactor": _d(r[19]),
        }
        for r in _rows(
            db,
            "SELECT code, modifier, description, status, work_rvu, nonfacility_pe_rvu,"
            " nonfacility_na, facility_pe_rvu, facility_na, mp_rvu, nonfacility_total,"
            " facility_total, pctc, global_days, mult_proc, bilat_surg, asst_surg, co_surg,"
            " team_surg, conversion_factor FROM pfs_rvus",
        )
    }  # fmt: skip
    assert stored == expected
    assert sum(result.dropped.values()) == dropped
    assert set(result.dropped) == {"CPT", "CDT"}  # RVU25A prices dental codes too
    gpci = reread.gpci(PAYMENT_FILES["pfs-2025-01"])
    localities = {
        (mac, loc): (Decimal(w), Decimal(pe), Decimal(mp))
        for mac, loc, w, pe, mp in _rows(
            db, "SELECT mac, locality, work_gpci, pe_gpci, mp_gpci FROM pfs_localities"
        )
    }
    assert localities == gpci and len(gpci) == 109
    # 25LOCCO writes MAC 2102 and locality 1 for Alaska's 02102-01; ANES its own factor
    [(counties, factor)] = _rows(
        db,
        "SELECT counties, anesthesia_cf FROM pfs_localities WHERE mac = '02102' AND locality = '01'",
    )
    assert (counties, factor) == ("ALL COUNTIES", "27.86")
    [release] = list_payments(db)
    assert (release["id"], release["effective_from"]) == ("pfs-2025-01", "2025-01-01")


def test_clfs_csv_xlsx_and_txt_load_the_same_rows(payment_files: Path, tmp_path: Path) -> None:
    archive = PAYMENT_FILES["clfs-2025-01"]
    expected, dropped = reread.clfs(archive)
    everything = "SELECT code, modifier, effective_date, indicator, rate, short_description FROM lab_fees ORDER BY code, modifier"
    results = []
    with zipfile.ZipFile(archive) as z:
        for suffix in (".csv", ".xlsx", ".txt"):
            [name] = [n for n in z.namelist() if n.endswith(suffix)]
            (tmp_path / name).write_bytes(z.read(name))
            db = tmp_path / f"{suffix[1:]}.db"
            result = _load(db, tmp_path / name)
            assert result.dropped == {"CPT": dropped}
            results.append(_rows(db, everything))
    assert results[0] == results[1] == results[2]
    stored = {
        (code, mod): {"effectiveDate": date, "indicator": ind, "rate": Decimal(rate),
                      "shortDescription": text}
        for code, mod, date, ind, rate, text in results[0]
    }  # fmt: skip
    assert stored == expected and len(stored) == 46
    [release] = list_payments(tmp_path / "txt.db")
    assert (release["effective_from"], release["effective_through"]) == ("2025-01-01", "2025-03-31")


def test_asc_508_csvs_and_workbook_every_level_ii_row(payment_files: Path, tmp_path: Path) -> None:
    archive = PAYMENT_FILES["asc-2025-01"]
    result = _load(tmp_path / "zip.db", archive)
    expected, dropped = reread.asc(archive)
    assert sum(result.dropped.values()) == dropped
    assert any("A2027" in note for note in result.notes)  # BB lists it twice, the same
    sql = (
        "SELECT code, addendum, short_description, payment_indicator, payment_weight,"
        " payment_rate FROM asc_payments ORDER BY code"
    )
    stored = {
        code: {"addendum": add, "shortDescription": text, "paymentIndicator": pi,
               "paymentWeight": _d(w), "paymentRate": _d(rate)}
        for code, add, text, pi, w, rate in _rows(tmp_path / "zip.db", sql)
    }  # fmt: skip
    assert stored == expected
    with zipfile.ZipFile(archive) as z:
        [name] = [n for n in z.namelist() if n.endswith(".xlsx")]
        (tmp_path / name).write_bytes(z.read(name))
    _load(tmp_path / "xlsx.db", tmp_path / name)
    assert _rows(tmp_path / "xlsx.db", sql) == _rows(tmp_path / "zip.db", sql)
    meanings = dict(_rows(tmp_path / "zip.db", "SELECT code, description FROM payment_indicators"))
    assert len(meanings) == 21 and meanings["N1"].startswith("Packaged service/item")


@pytest.mark.parametrize("release", ["opps-2019-01", "opps-2020-01"])
def test_opps_every_level_ii_row(payment_files: Path, tmp_path: Path, release: str) -> None:
    db = tmp_path / "p.db"
    result = _load(db, PAYMENT_FILES[release])
    expected, dropped = reread.opps(PAYMENT_FILES[release])
    assert sum(result.dropped.values()) == dropped
    stored = {
        r[0]: {"shortDescription": r[1], "statusIndicator": r[2], "apc": r[3],
               "relativeWeight": _d(r[4]), "paymentRate": _d(r[5]),
               "nationalCopayment": _d(r[6]), "minimumCopayment": _d(r[7]),
               "changed": bool(r[8])}
        for r in _rows(
            db,
            "SELECT code, short_description, status_indicator, apc, relative_weight,"
            " payment_rate, national_copayment, minimum_copayment, changed FROM opps_payments",
        )
    }  # fmt: skip
    # the workbook holds some amounts unrounded (23.907400000000003); it shows, and the
    # loader stores, weights to 4 decimals and amounts to the cent
    for fields in expected.values():
        fields["relativeWeight"] = _cents(fields["relativeWeight"], "0.0001")
        for name in ("paymentRate", "nationalCopayment", "minimumCopayment"):
            fields[name] = _cents(fields[name])
    assert stored == expected


def test_the_opps_correction_changes_exactly_what_cms_changed(
    payment_files: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """CMS's February 2020 correction of January 2020's Addendum B, loaded with --replace:
    the Level II rows an independent comparison of the two workbooks finds different are
    exactly the ones the load reports changing, and the summary names them."""
    original, _ = reread.opps(PAYMENT_FILES["opps-2020-01"])
    corrected, _ = reread.opps(OPPS_CORRECTION)
    assert original.keys() == corrected.keys()
    differ = sorted(code for code in original if original[code] != corrected[code])
    db = tmp_path / "p.db"
    _load(db, PAYMENT_FILES["opps-2020-01"])
    before = sha(db)
    assert main(["load", str(OPPS_CORRECTION), "--db", str(db)]) == 2  # needs --replace
    assert sha(db) == before
    capsys.readouterr()
    assert main(["load", str(OPPS_CORRECTION), "--db", str(db), "--replace"]) == 0
    out, _ = capsys.readouterr()
    assert "against the file it replaces (opps_payments): 3 changed, 0 added, 0 removed" in out
    assert f"    changed: {', '.join(differ)}" in out
    assert differ == ["G0404", "Q9982", "Q9983"]
    for code in differ:
        [(rate,)] = _rows(db, f"SELECT payment_rate FROM opps_payments WHERE code = '{code}'")
        assert _d(rate) == _cents(corrected[code]["paymentRate"])


def _zip_without(archive: Path, *dropped: str) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(archive) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            if not any(d in name for d in dropped):
                target.writestr(name, source.read(name))
    return out.getvalue()


def test_an_rvu_zip_without_its_gpci_file_says_so(payment_files: Path, tmp_path: Path) -> None:
    path = tmp_path / "rvu25a.zip"
    path.write_bytes(_zip_without(PAYMENT_FILES["pfs-2025-01"], "GPCI2025"))
    result = _load(tmp_path / "p.db", path)
    assert result.notes == ["no GPCI file beside it: payments by locality are unavailable"]
    assert _rows(tmp_path / "p.db", "SELECT count(*) FROM pfs_localities") == [(0,)]


def _xlsx_cell_changed(path: Path, old: bytes, new: bytes) -> bytes:
    """The workbook with one shared string replaced (its XML edited inside the ZIP)."""
    out = io.BytesIO()
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item)
            if item.filename == "xl/sharedStrings.xml":
                assert old in data
                data = data.replace(old, new, 1)
            target.writestr(item, data)
    return out.getvalue()


def _asc_with_a_conflicting_repeat(archive: Path) -> bytes:
    data = _zip_without(archive, "xlsx")
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for name in source.namelist():
            body = source.read(name)
            if name.endswith("ASC-BB.csv"):
                body = body.replace(
                    b"A2028,,Micromatrix flex per mg,,N1", b"A2028,,Micromatrix flex per mg,,K2", 1
                )
            target.writestr(name, body)
    return out.getvalue()


BAD = {
    "opps-status-indicator-column-renamed": (
        "addendum_b.xlsx",
        lambda: _xlsx_cell_changed(PAYMENT_FILES["opps-2019-01"], b">SI<", b">Status<"),
        "addendum_b.xlsx: sheet '2019 January Addendum B' row 3: header row lacks the "
        "column(s) SI of an OPPS Addendum B",
    ),
    "asc-repeat-with-other-values": (
        "asc.zip",
        lambda: _asc_with_a_conflicting_repeat(PAYMENT_FILES["asc-2025-01"]),
        "asc.zip!508-Version-Jan-2025-ASC-BB.csv: row 733: A2028 is listed twice, with "
        "other values (first at row 732)",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_bad_fee_schedule_file_is_one_line_exit_2_and_the_database_is_untouched(
    payment_files: Path,
    sample_db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    case: str,
) -> None:
    name, make, message = BAD[case]
    check_refused(sample_db, tmp_path / name, make(), message, capsys)


@pytest.mark.parametrize(
    ("path", "release", "codes"),
    [
        ("2017/2017-NOC-Codes.zip", "noc-2017-01", 139),
        ("2018/2018-HCPCS-NOC-Codes.zip", "noc-2018-01", 144),
        ("2019/2019-HCPCS-NOC-Codes.zip", "noc-2019-01", 139),
        ("2025-JUL/NOC codes_JUL2025.xlsx", "noc-2025-07", 163),
    ],
)
def test_noc_lists(cms_files: Path, tmp_path: Path, path: str, release: str, codes: int) -> None:
    """CMS's NOC lists (issue 20): a description continued on the next rows is joined."""
    db = tmp_path / "p.db"
    result = _load(db, cms_files / path)
    assert (result.release, result.codes) == (release, codes)
    if release == "noc-2025-07":
        [(text, added)] = _rows(
            db, "SELECT long_description, added_date FROM noc_codes WHERE code = 'J7192'"
        )
        assert text == (
            "Factor viii (antihemophilic factor, recombinant) per i.u., not otherwise specified"
        )
        assert added == "1994-01-01"


def test_quarterly_schedules_hold_for_their_quarter(payment_files: Path, tmp_path: Path) -> None:
    """A file naming only its quarter's first month holds for that quarter (CMS republishes
    these four every quarter); DMEPOS, updated as necessary, holds until the next one."""
    db = tmp_path / "p.db"
    for release in ("pfs-2025-01", "clfs-2025-01", "asc-2025-01", "opps-2019-01", "dmepos-2025-01"):
        _load(db, PAYMENT_FILES[release])
    periods = {r["id"]: (r["effective_from"], r["effective_through"]) for r in list_payments(db)}
    assert periods == {
        "pfs-2025-01": ("2025-01-01", "2025-03-31"),
        "clfs-2025-01": ("2025-01-01", "2025-03-31"),
        "asc-2025-01": ("2025-01-01", "2025-03-31"),
        "opps-2019-01": ("2019-01-01", "2019-03-31"),
        "dmepos-2025-01": ("2025-01-01", None),
    }


def test_replace_with_another_period_rewrites_it(payment_files: Path, tmp_path: Path) -> None:
    """The same bytes with another period (a database loaded before the quarterly rule, or a
    period the title did not say) change it with --replace; without, it is refused."""
    db = tmp_path / "p.db"
    path = str(PAYMENT_FILES["opps-2019-01"])
    load_payment(db, open_payment(path, effective="2019-01-01"))
    with pytest.raises(LoadError, match="pass --replace"):
        load_payment(db, open_payment(path))
    result = load_payment(db, open_payment(path), replace=True)
    assert result.status == "replaced"
    [release] = list_payments(db)
    assert release["effective_through"] == "2019-03-31"
    assert load_payment(db, open_payment(path)).status == "unchanged"
