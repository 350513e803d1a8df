"""Scalars. Dates travel as ISO strings end to end: the database stores them that way, so
serving one costs nothing, and parsing checks the shape strictly."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, NewType

import strawberry

if TYPE_CHECKING:
    from strawberry.types.scalar import ScalarDefinition

Date = NewType("Date", str)
DateTime = NewType("DateTime", str)

# full-date and date-time: the ISO 8601 profile both scalars keep to, so generated clients
# can map them to strings (README)
RFC_3339 = "https://www.rfc-editor.org/rfc/rfc3339#section-5.6"

_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_date(value: object) -> str:
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            pass
    raise ValueError(f"{value!r} is not a date; give an ISO date like 2025-10-01")


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
}
