"""Which payment schedule release is in force on a date (the contract's rule), read from the
catalog alone; and the ETag changing when a payment file is loaded."""

from __future__ import annotations

import pytest

from hcpcs_graph.db.catalog import Catalog, PaymentReleaseRow
from hcpcs_graph.server.http_cache import releases_digest


def _release(id_: str, start: str, end: str | None) -> PaymentReleaseRow:
    return PaymentReleaseRow(
        id_, id_.split("-")[0], start, end, "t", "f.csv", "csv", id_ * 2, "now", 1, 1, {}
    )


CATALOG = Catalog(
    releases=[],
    tables={},
    notes={},
    payments=[
        _release("asp-2025-01", "2025-01-01", "2025-03-31"),
        _release("dmepos-2025-01", "2025-01-01", None),
        _release("asp-2025-02", "2025-02-01", "2025-02-28"),  # a correction for a month
        _release("asp-2025-07", "2025-07-01", "2025-09-30"),
        _release("dmepos-2025-04", "2025-04-01", None),
    ],
)


@pytest.mark.parametrize(
    ("kind", "date", "found"),
    [
        ("asp", "2024-12-31", None),
        ("asp", "2025-01-01", "asp-2025-01"),
        ("asp", "2025-03-31", "asp-2025-01"),
        ("asp", "2025-02-15", "asp-2025-02"),  # inside the correction's period
        ("asp", "2025-03-15", "asp-2025-01"),  # after it: the quarter's release holds
        ("asp", "2025-05-01", None),  # a gap: April's file is not loaded
        ("asp", "2025-09-30", "asp-2025-07"),
        ("asp", "2026-01-01", None),
        ("dmepos", "2025-03-01", "dmepos-2025-01"),  # open-ended until the next one
        ("dmepos", "2030-01-01", "dmepos-2025-04"),
        ("ndc", "2025-10-01", None),
    ],
)
def test_payment_in_force(kind: str, date: str, found: str | None) -> None:
    release = CATALOG.payment_in_force(kind, date)
    assert (release.id if release else None) == found


def test_latest_payment() -> None:
    assert CATALOG.latest_payment("asp").id == "asp-2025-07"
    assert CATALOG.latest_payment("ndc") is None


def test_a_payment_load_changes_the_etag_digest() -> None:
    without = Catalog(releases=[], tables={}, notes={})
    assert releases_digest(CATALOG) != releases_digest(without)
