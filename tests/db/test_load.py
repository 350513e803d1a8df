"""Loading the real CMS releases, and what a load does to the database file."""

from __future__ import annotations

import hashlib
import io
import sqlite3
import zipfile
from pathlib import Path

import openpyxl
import pytest

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.load import list_releases, load
from hcpcs_graph.db.sources import open_source
from tests.conftest import NOTES, RELEASES
from tests.fixtures import release_file


def count_in_file(path: Path) -> int:
    """Codes and modifiers in a CMS file, counted independently of our readers."""
    data = path.read_bytes()
    if path.suffix == ".zip":
        with zipfile.ZipFile(path) as archive:
            name = next(n for n in archive.namelist() if "ANWEB" in n and n.endswith(".txt"))
            data = archive.read(name)
    if path.suffix == ".xlsx":
        sheet = openpyxl.load_workbook(io.BytesIO(data), read_only=True).active
        return sum(1 for row in sheet.iter_rows(values_only=True) if row[2] in ("3", "7"))
    lines = data.decode("cp1252").splitlines()
    return sum(1 for line in lines if len(line) >= 293 and line[10] in "37")


def rows(db_path: Path, sql: str, *params: object) -> list[sqlite3.Row]:
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_every_release_loads_with_the_files_counts(all_releases_db: Path, release: str) -> None:
    [meta] = rows(all_releases_db, "SELECT * FROM releases WHERE id = ?", release)
    expected = count_in_file(RELEASES[release])
    assert meta["code_count"] + meta["modifier_count"] == expected
    [stored] = rows(all_releases_db, "SELECT count(*) AS n FROM codes WHERE release = ?", release)
    assert stored["n"] == expected
    assert meta["unknown_values"] == "{}"
    if RELEASES[release].suffix == ".zip":
        assert meta["source_format"] == "txt"  # the ZIP also holds an XLSX (or XLS)
        assert meta["note_count"] > 200


SEED = {
    "long_description": (
        "Stereoscopic x-ray guidance for localization of target volume for the delivery "
        "of radiation therapy"
    ),
    "short_description": "Stereoscopic x-ray guidance",
    "pricing_indicators": '["13"]',
    "multiple_pricing_indicator": "A",
    "coverage": "C",
    "betos": "I4B",
    "types_of_service": '["6"]',
    "anesthesia_base_units": 0,
    "added_date": "2015-01-01",
}


@pytest.mark.parametrize("release", sorted(RELEASES))
def test_g6002_has_the_seeds_values(all_releases_db: Path, release: str) -> None:
    [g6002] = rows(
        all_releases_db, "SELECT * FROM codes WHERE release = ? AND code = 'G6002'", release
    )
    assert {k: g6002[k] for k in SEED} == SEED
    assert (g6002["is_modifier"], g6002["record_id"], g6002["sequence"]) == (0, "3", 100)
    if release == "2026-01":
        # The seed page, from a later 2026 quarter, shows action N with the same dates.
        assert (g6002["termination_date"], g6002["action_code"]) == ("2025-12-31", "D")
        assert g6002["action_effective_date"] == "2026-01-01"
    else:
        assert (g6002["termination_date"], g6002["action_code"]) == (None, "N")


def test_code_tables_cover_the_layouts_appendices(all_releases_db: Path) -> None:
    def description(table: str, code: str) -> str:
        [row] = rows(
            all_releases_db,
            "SELECT * FROM code_tables WHERE table_name = ? AND code = ?",
            table,
            code,
        )
        return row

    assert description("pricing_indicator", "40")["description"].startswith("Lymphedema")
    assert description("pricing_indicator", "13")["category"] == (
        "Linked To The Physician Fee Schedule"
    )
    assert description("betos", "O1L")["description"].startswith("Lymphedema")
    assert description("betos", "I4B")["parent"] == "I"
    assert description("lab_certification", "110")["parent"] == "100"
    assert description("lab_certification", "100")["parent"] is None
    assert description("asc_payment_group", "YY")["description"]
    counts = dict(rows(all_releases_db, "SELECT table_name, count(*) FROM code_tables GROUP BY 1"))
    assert counts == {
        "action_code": 10,
        "asc_payment_group": 1,
        "betos": 107,
        "betos_family": 8,
        "coverage": 5,
        "lab_certification": 31,
        "mog_payment_group": 98,
        "mog_payment_policy_indicator": 7,
        "multiple_pricing_indicator": 8,
        "pricing_indicator": 26,
        "type_of_service": 34,
    }


def test_repeated_fields_keep_their_order_in_code_values(all_releases_db: Path) -> None:
    [code] = rows(
        all_releases_db,
        "SELECT id, types_of_service FROM codes WHERE release = '2026-01' AND code = 'E0776'",
    )
    values = rows(
        all_releases_db,
        "SELECT value FROM code_values WHERE code_id = ? AND field = 'type_of_service'"
        " ORDER BY position",
        code["id"],
    )
    assert [v["value"] for v in values] == ["A", "E", "P", "R"]
    assert code["types_of_service"] == '["A", "E", "P", "R"]'


def test_processing_notes_and_fts(all_releases_db: Path) -> None:
    [note] = rows(
        all_releases_db,
        "SELECT text FROM processing_notes WHERE release = '2016-01' AND number = 2",
    )
    assert note["text"].startswith("THESE CODES (82585, 82595)")
    hits = rows(
        all_releases_db,
        "SELECT c.code FROM codes_fts_2025_10 f JOIN codes c ON c.id = f.rowid"
        " WHERE codes_fts_2025_10 MATCH 'wheelch*'",
    )
    assert len(hits) > 50


def test_2018_asc_dates_are_repaired_and_reported(all_releases_db: Path) -> None:
    [meta] = rows(all_releases_db, "SELECT repairs FROM releases WHERE id = '2018-01'")
    assert meta["repairs"].count("read as date") == 5
    [c9488] = rows(
        all_releases_db,
        "SELECT asc_payment_group, asc_effective_date FROM codes"
        " WHERE release = '2018-01' AND code = 'C9488'",
    )
    assert tuple(c9488) == (None, "2017-04-01")


def test_2016_txt_and_xlsx_load_to_the_same_values(cms_files: Path, tmp_path: Path) -> None:
    txt, xlsx = tmp_path / "txt.db", tmp_path / "xlsx.db"
    load(txt, open_source(str(cms_files / "2016" / "HCPC2016_CONTR_ANWEB.txt")))
    load(xlsx, open_source(str(cms_files / "2016" / "HCPC2016_CONTR_ANWEB.xlsx")))
    query = "SELECT * FROM codes ORDER BY is_modifier, code"
    a = {(r["is_modifier"], r["code"]): dict(r) for r in rows(txt, query)}
    b = {(r["is_modifier"], r["code"]): dict(r) for r in rows(xlsx, query)}
    assert a.keys() == b.keys()
    allowed = {"xlsx lacks the action effective date": 0, "xlsx doubles a blank": 0}
    for key in a:
        left, right = a[key], b[key]
        for name in left.keys() - {"id"}:
            if left[name] == right[name]:
                continue
            if name == "action_effective_date" and right[name] is None:
                allowed["xlsx lacks the action effective date"] += 1
            elif name == "long_description" and left[name] == " ".join(right[name].split()):
                allowed["xlsx doubles a blank"] += 1  # where the TXT wraps the line
            else:
                pytest.fail(f"{key[1]} {name}: txt {left[name]!r} != xlsx {right[name]!r}")
    assert allowed == {"xlsx lacks the action effective date": 115, "xlsx doubles a blank": 4}


def test_same_file_again_is_a_no_op(db_copy: Path) -> None:
    before = sha(db_copy)
    result = load(db_copy, open_source(str(RELEASES["2019-01"])))
    assert (result.status, result.release) == ("unchanged", "2019-01")
    assert sha(db_copy) == before


def test_another_file_for_a_loaded_release_needs_replace(cms_files: Path, db_copy: Path) -> None:
    other = open_source(str(cms_files / "2016" / "HCPC2016_CONTR_ANWEB.xlsx"))
    before = sha(db_copy)
    with pytest.raises(LoadError) as caught:
        load(db_copy, other)
    assert str(caught.value) == (
        "HCPC2016_CONTR_ANWEB.xlsx: release 2016-01 is already loaded from "
        "HCPC2016_CONTR_ANWEB.txt; pass --replace to load this file in its place"
    )
    assert sha(db_copy) == before
    result = load(db_copy, other, replace=True)
    assert result.status == "replaced" and result.codes + result.modifiers == 6293
    [meta] = rows(db_copy, "SELECT source_format, code_count FROM releases WHERE id = '2016-01'")
    assert tuple(meta) == ("xlsx", 5956)
    [n] = rows(db_copy, "SELECT count(*) FROM codes WHERE release = '2016-01'")
    assert n[0] == 6293
    tables = rows(
        db_copy,
        "SELECT name FROM sqlite_master WHERE name LIKE 'codes_fts_%_%' AND type = 'table' AND sql LIKE 'CREATE VIRTUAL%'",
    )
    assert len(tables) == 7  # one index per release, the replaced one rebuilt
    [fts] = rows(
        db_copy, "SELECT count(*) FROM codes_fts_2016_01 WHERE codes_fts_2016_01 MATCH 'g6002'"
    )
    assert fts[0] == 1


@pytest.mark.usefixtures("cms_files")
def test_notes_option_and_list_releases(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    load(db, open_source(str(RELEASES["2026-01"]), notes=str(NOTES["2026-01"])))
    [meta] = list_releases(db)
    assert (meta["id"], meta["note_count"], meta["code_count"]) == ("2026-01", 234, 8623)


def test_sample_is_replaced_by_the_first_real_release(tmp_path: Path) -> None:
    db = tmp_path / "h.db"
    sample = load(db, open_source(None, sample=True))
    assert (sample.release, sample.codes, sample.modifiers) == ("2026-04", 1, 0)
    result = load(db, open_source(str(release_file(tmp_path, "2025-10"))))
    assert result.removed_sample
    assert [r["id"] for r in list_releases(db)] == ["2025-10"]
