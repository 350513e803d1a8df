"""How a payment file's cells and title rows are read (db/payments/values.py), and the
size limits on what `hcpcs load` will unpack."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments import sources, tables
from hcpcs_graph.db.payments.values import decimal_text, period


@pytest.mark.parametrize(
    ("cell", "stored"),
    [
        ("146.312", "146.312"),
        ("280.370", "280.37"),
        ("20.000", "20"),
        ("0.00", "0"),
        ("$1,579.16", "1579.16"),
        ("00720.00", "720"),  # the CLFS's zero-padded rates
        (".5", "0.5"),
        (280.37, "280.37"),  # a workbook's double: the text it was typed as
    ],
)
def test_amounts_as_cms_writes_them(cell: object, stored: str) -> None:
    assert decimal_text(cell, "Rate") == stored


@pytest.mark.parametrize(
    "cell", [",5", "12,34", "1,,2", "$5$", "-5", "$-5", "1e5", "NaN", "Infinity", "5" * 21, "."]
)
def test_what_is_not_an_amount(cell: str) -> None:
    with pytest.raises(LoadError, match=r"field Rate: .* is not a number"):
        decimal_text(cell, "Rate")


@pytest.mark.parametrize(("value", "places"), [(-1.0, None), (1e-7, 3), (float("inf"), None)])
def test_workbook_numbers_that_are_no_amount(value: float, places: int | None) -> None:
    """Negative, infinite, or a real amount that the published decimals would make 0."""
    with pytest.raises(LoadError, match="is not an amount"):
        decimal_text(value, "Rate", places=places)


def test_workbook_numbers_rounded_as_shown() -> None:
    assert decimal_text(23.907400000000003, "Copay", places=2) == "23.91"
    assert decimal_text(0.3087723288, "Limit", places=3) == "0.309"


@pytest.mark.parametrize(
    ("title", "found"),
    [
        ("Effective October 1, 2025 through December 31, 2025", ("2025-10-01", "2025-12-31")),
        ("Effective October 1, 2025 \u2013 December 31, 2025", ("2025-10-01", "2025-12-31")),
        ("Effective Oct 1, 2025 - Dec 31, 2025", ("2025-10-01", "2025-12-31")),
        ("Effective Sept. 30, 2025 through Dec. 31, 2025", ("2025-09-30", "2025-12-31")),
        ("Effective January 1, 2025", ("2025-01-01", None)),
        ("January 2025 Fee Schedule", ("2025-01-01", None)),
    ],
)
def test_periods_in_title_rows(title: str, found: tuple[str, str | None]) -> None:
    assert period([title]) == found


@pytest.mark.parametrize(
    ("names", "found"),
    [
        (["2019 January Addendum B"], ("2019-01-01", None)),
        (["CLFS 2025 Q1V1.csv"], ("2025-01-01", "2025-03-31")),
        (["25CLABQ4.zip"], ("2025-10-01", "2025-12-31")),
        (["PPRRVU25_JAN.csv"], ("2025-01-01", None)),
        (["NOC codes_JUL2025.xlsx"], ("2025-07-01", None)),
    ],
)
def test_periods_in_names(names: list[str], found: tuple[str, str | None]) -> None:
    assert period(["Some schedule"], names) == found


def _zip(name: str, data: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, data)
    return out.getvalue()


def test_a_zip_member_past_the_limit_is_refused_unread(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A small ZIP can unpack to gigabytes (a 836 KB one used 24 GB): its members' sizes
    are checked before reading (the limit lowered here to keep the test small)."""
    monkeypatch.setattr(sources, "MAX_MEMBER", 1000)
    bomb = tmp_path / "fees.zip"
    bomb.write_bytes(_zip("fees.csv", b"\n" * 5000))
    with pytest.raises(
        LoadError, match=r"fees\.csv is 0 MiB uncompressed; a CMS file is at most 0 MiB"
    ):
        sources.open_payment(str(bomb))


def test_a_table_past_the_row_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tables, "MAX_ROWS", 100)
    with pytest.raises(LoadError, match="more than 100 rows: not a CMS payment file"):
        tables.read(b"a,b\n" * 101, "csv", "fees.csv")
