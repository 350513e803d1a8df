"""Scalars. Dates travel as ISO strings end to end: the database stores them that way, so
serving one costs nothing, and parsing checks the shape strictly."""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import TYPE_CHECKING, NewType

import strawberry

if TYPE_CHECKING:
    from strawberry.types.scalar import ScalarDefinition

Date = NewType("Date", str)
DateTime = NewType("DateTime", str)
# Money and percentages, as the decimal text stored (db/payments/values.py): never a float
Decimal = NewType("Decimal", str)
DECIMAL_SPEC = "https://speleotrove.com/decimal/daconvs.html"

# full-date and date-time: the ISO 8601 profile both scalars keep to, so generated clients
# can map them to strings (README)
RFC_3339 = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# the numeric strings of the decimal arithmetic specification, finite ones only
_DECIMAL = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def parse_date(value: object) -> str:
    found = _iso_date(value) if isinstance(value, str) else None
    if found is None:
        raise ValueError(f"{value!r} is not a date; give an ISO date like 2025-10-01")
    return found


@functools.lru_cache(maxsize=4096)
def _iso_date(text: str) -> str | None:
    """The date, or None; kept for the dates most asked (a claim's 500 lines name ~90)."""
    if _ISO_DATE.fullmatch(text.strip()):
        try:
            return dt.date.fromisoformat(text.strip()).isoformat()
        except ValueError:
            pass
    return None


def parse_decimal(value: object) -> str:
    if isinstance(value, str) and _DECIMAL.fullmatch(value.strip()):
        return value.strip()
    raise ValueError(f'{value!r} is not a decimal number; give it as a string like "146.312"')


SCALARS: dict[object, ScalarDefinition] = {
    Date: strawberry.scalar(
        name="Date",
        description="A calendar date in ISO 8601 form, YYYY-MM-DD.",
        specified_by_url=RFC_3339,
        serialize=str,
        parse_value=parse_date,
    ),
    DateTime: strawberry.scalar(
        name="DateTime",
        description="A moment in ISO 8601 form with its UTC offset, "
        "e.g. 2026-01-12T09:30:00+00:00.",
        specified_by_url=RFC_3339,
        serialize=str,
        parse_value=str,
    ),
    Decimal: strawberry.scalar(
        name="Decimal",
        description='A decimal number as a JSON string, e.g. "146.312": exact, never a binary '
        "float (amounts in US dollars, percentages as numbers of percent). Parse it with a "
        "decimal type (JavaScript: a decimal library, not Number, for arithmetic).",
        specified_by_url=DECIMAL_SPEC,
        serialize=str,
        parse_value=parse_decimal,
    ),
}
