"""The fixed-width reader on synthetic files: CMS's real quirks pass, bad input is named."""

from __future__ import annotations

import pytest

from hcpcs_graph.db import fixed_width
from hcpcs_graph.db.errors import LoadError
from tests.records_util import continuation, file_bytes, record


def read(*lines: str, **kwargs: str) -> list:
    return fixed_width.read(file_bytes(*lines, **kwargs), "HCPC.txt").records


def test_every_field_of_the_layout() -> None:
    line = record(
        "J1234",
        fields={
            120: "51  5799",  # pricing 1-4, with a blank slot to drop
            128: "C",
            129: "60-9  " + " " * 6 + "35-27 ",  # CIM 1-3
            147: "2049    " + "4270    " + " " * 8,  # MCM 1-3
            171: "1861S2B   ",
            181: "110   340",  # lab certifications 1, (blank), 3
            205: "J1235" + "90000",
            230: "D",
            231: "YY20190101",
            241: "1021",
            245: "20100101",
            253: "0042",
            257: "O1E",
            261: "1 9",
            266: "  5",
        },
        terminated="20251231",
        action="D",
    )
    [r] = read(line)
    assert r.code == "J1234" and not r.is_modifier and r.sequence == 100 and r.record_id == "3"
    assert r.pricing_indicators == ["51", "57", "99"]
    assert r.multiple_pricing_indicator == "C"
    assert r.cim_references == ["60-9", "35-27"]
    assert r.mcm_references == ["2049", "4270"]
    assert r.statute == "1861S2B"
    assert r.lab_certifications == ["110", "340"]
    assert r.cross_references == ["J1235", "90000"]
    assert (r.coverage, r.asc_payment_group, r.asc_effective_date) == ("D", "YY", "2019-01-01")
    assert (r.mog_payment_group, r.mog_payment_policy_indicator) == ("102", "1")
    assert r.mog_effective_date == "2010-01-01"
    assert r.processing_note == 42
    assert r.betos == "O1E"
    assert r.types_of_service == ["1", "9"]
    assert r.anesthesia_base_units == 5
    assert (r.added_date, r.action_effective_date, r.termination_date) == (
        "2015-01-01",
        "2015-01-01",
        "2025-12-31",
    )
    assert r.action_code == "D"


def test_continuations_join_in_sequence_order_and_modifiers_are_told_apart() -> None:
    records = read(
        record("A1", record_id="7", long="Dressing for"),
        continuation("A1", "three wounds", sequence="00300", record_id="8"),
        continuation("A1", "two or", sequence="00200", record_id="8"),
        record("G6002", long="Stereoscopic x-ray guidance for"),
        continuation("G6002", "localization"),
    )
    assert [(r.code, r.is_modifier, r.long_description) for r in records] == [
        ("A1", True, "Dressing for two or three wounds"),
        ("G6002", False, "Stereoscopic x-ray guidance for localization"),
    ]


def test_real_quirks_are_not_errors() -> None:
    disclaimer = ["***Disclaimers", "", "-- Inclusion or exclusion of a procedure ...\t\t", ""]
    trimmed_continuation = continuation("G6002", "of radiation therapy").rstrip()
    records = read(
        *disclaimer,
        record("G6001")[:293],  # trimmed after the action code
        "",
        record("G6002") + " " * 226,  # padded past 320 with blanks
        trimmed_continuation,
        " " * 296,  # a line of blanks
    )
    assert [r.code for r in records] == ["G6001", "G6002"]
    assert records[1].long_description.endswith("of radiation therapy")


def test_lf_line_ends_and_byte_order_mark() -> None:
    data = b"\xef\xbb\xbf" + file_bytes(record("G6002"), newline="\n")
    assert [r.code for r in fixed_width.read(data, "x.txt").records] == ["G6002"]


def test_cp1252_text_is_decoded() -> None:
    [r] = read(record("G6002", long="Caf\xe9 \u2019quoted\u2019"))
    assert r.long_description == "Caf\xe9 \u2019quoted\u2019"


def test_asc_date_written_two_columns_early_is_read_as_cms_meant() -> None:
    parsed = fixed_width.read(file_bytes(record("C9488", fields={231: "20170401  "})), "x.txt")
    [r] = parsed.records
    assert (r.asc_payment_group, r.asc_effective_date) == (None, "2017-04-01")
    assert parsed.repairs == ["C9488: ASC group '20' + date '170401' read as date 20170401"]


BAD = [
    pytest.param(
        [record("G6002") + "X"],
        "HCPC.txt: line 1: record is 321 characters long; CMS records are 320",
        id="record-too-long",
    ),
    pytest.param(
        [record("G6002")[:200]],
        "HCPC.txt: line 1: record is 200 characters long; a first line (record id 3) needs 293 to 320",
        id="first-line-too-short",
    ),
    pytest.param(
        [record("G6002", record_id="5")],
        "HCPC.txt: line 1: field record_id: unknown record id '5' (expected 3, 4, 7 or 8)",
        id="unknown-record-id",
    ),
    pytest.param(
        [record("G6001"), continuation("G6002", "orphan")],
        "HCPC.txt: line 2: field record_id: continuation (record id 4) for G6002 has no first line",
        id="continuation-without-first-line",
    ),
    pytest.param(
        [continuation("G6002", "orphan")],
        "HCPC.txt: line 1: field record_id: continuation (record id 4) for G6002 has no first line",
        id="continuation-first-in-file",
    ),
    pytest.param(
        [record("G6001"), record("G6002", added="20151301")],
        "HCPC.txt: line 2: field added_date: '20151301' is not a valid date",
        id="invalid-date",
    ),
    pytest.param(
        [record("G6002", terminated="2025123X")],
        "HCPC.txt: line 1: field termination_date: '2025123X' is not a YYYYMMDD date",
        id="malformed-date",
    ),
    pytest.param(
        [record("G6002", fields={266: " x1"})],
        "HCPC.txt: line 1: field anesthesia_base_units: 'x1' is not a number",
        id="bad-number",
    ),
    pytest.param(
        [record("G6002"), record("G6002")],
        "HCPC.txt: line 2: field code: G6002 appears again (first at line 1)",
        id="duplicate-code",
    ),
    pytest.param(
        [record("G60-2")],
        "HCPC.txt: line 1: field code: 'G60-2' is not a valid procedure code",
        id="bad-code",
    ),
    pytest.param(
        [record("G6002"), "G600200200" + "4" + "x" * 85],
        "HCPC.txt: line 2: continuation line (record id 4) has data after column 91",
        id="continuation-with-detail",
    ),
    pytest.param(
        [record("G6002"), "garbage"],
        "HCPC.txt: line 2: record is 7 characters long; too short to hold a record id",
        id="stray-line-after-records",
    ),
    pytest.param(
        ["***Disclaimers", "nothing else"], "HCPC.txt: no HCPCS records found", id="no-records"
    ),
]


@pytest.mark.parametrize(("lines", "message"), BAD)
def test_bad_input_names_file_line_and_field(lines: list[str], message: str) -> None:
    with pytest.raises(LoadError) as caught:
        read(*lines)
    assert str(caught.value) == message


def test_bytes_that_are_not_cp1252() -> None:
    data = file_bytes(record("G6001")) + record("G6002", long="bad \x81 byte").encode("latin-1")
    with pytest.raises(LoadError) as caught:
        fixed_width.read(data, "HCPC.txt")
    assert str(caught.value) == "HCPC.txt: line 2: byte 0x81 at column 16 is not cp1252 text"


@pytest.mark.parametrize("data", [b"", b"\r\n  \r\n"])
def test_empty_file(data: bytes) -> None:
    with pytest.raises(LoadError, match=r"^HCPC.txt: the file is empty$"):
        fixed_width.read(data, "HCPC.txt")
