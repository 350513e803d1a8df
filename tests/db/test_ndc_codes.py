"""NDCs as people type them, read to 11 digits; what could be several NDCs is refused."""

from __future__ import annotations

import pytest

from hcpcs_graph.db.payments.ndc_codes import normalize


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("0002-1433-80", "00002143380"),  # 4-4-2: the labeler padded
        ("50242-060-01", "50242006001"),  # 5-3-2: the product padded
        ("50242-0060-1", "50242006001"),  # 5-4-1: the package padded
        ("50242-0060-01", "50242006001"),  # 5-4-2
        ("50242006001", "50242006001"),
        ("  50242-0060-01 ", "50242006001"),
    ],
)
def test_forms_read(typed: str, digits: str) -> None:
    assert normalize(typed) == digits


@pytest.mark.parametrize(
    ("typed", "phrase"),
    [
        ("5024206001", "write it with its hyphens"),
        ("0002-143-80", "is not a National Drug Code"),  # 4-3-2: no such layout
        ("50242-00600-1", "is not a National Drug Code"),
        ("J9035", "is not a National Drug Code"),
        ("", "is not a National Drug Code"),
        ("\uff15" * 11, "is not a National Drug Code"),  # full-width digits
        ("\uff15" * 5 + "-0060-01", "is not a National Drug Code"),
    ],
)
def test_others_refused(typed: str, phrase: str) -> None:
    with pytest.raises(ValueError, match=phrase):
        normalize(typed)
