"""Cells of CMS's payment files as the values stored: decimals exact, codes classified.

Amounts are kept as decimal text, never floats: `decimal_text` reads what CMS writes
("146.312", "$1,234.50", "20.000") and stores the number it names in one form
("146.312", "1234.5", "20"), so the XLS and the CSV of one release store the same text.
A number read from an XLS cell is a binary double; `repr` gives the shortest text that
reads back as it, which is what CMS typed (the CSV of the same release shows it).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import math
import re
from collections.abc import Sequence

from hcpcs_graph.db.errors import LoadError

LEVEL_II = re.compile(r"[A-V]\d{4}")
_CPT = re.compile(r"\d{5}|\d{4}[A-Z]")  # CPT, Category II (F) and III (T), PLA (U)
_CDT = re.compile(r"D\d{4}")
# An amount as CMS writes one: digits, a point, "$" before, commas between thousands;
# never negative, no exponent, NaN or Infinity, and no more digits than money needs.
_NUMBER = re.compile(r"\$?\s*(?:\d{1,3}(?:,\d{3})+|\d+)?(?:\.\d*)?")
MAX_DIGITS = 20
_MONTHS = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
]
# "Effective October 1, 2025 through December 31, 2025"
_DAY = r"(\w+)\.?\s+(\d{1,2}),?\s+(\d{4})"  # October 1, 2025; Oct. 1 2025
_PERIOD = re.compile(rf"effective\s+{_DAY}", re.IGNORECASE)
_UNTIL = re.compile(rf"\s*(?:through|thru|to|until|-|\u2013|\u2014)\s*(?:{_DAY})?", re.IGNORECASE)
# "January 2025 Fee Schedule", "2019 January Addendum B"
_MONTH = "|".join(_MONTHS)
_MONTH_YEAR = re.compile(rf"\b(?:({_MONTH})\s+(\d{{4}})|(\d{{4}})\s+({_MONTH}))\b", re.IGNORECASE)
# "CLFS 2025 Q1V1", "25CLABQ1", "PPRRVU25_JAN": a quarter or a month, in a file's name
_QUARTER = re.compile(
    r"(?<!\d)((?:19|20)\d{2})\s*_?Q([1-4])|Q([1-4])\s*_?((?:19|20)\d{2})(?!\d)", re.I
)
# "NOC codes_JUL2025", "HCPCS 2019": a month glued to its year; a year alone, last of all
_ABBREVIATED = re.compile(
    r"(?<![a-z])(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*[\s_-]*((?:19|20)\d{2})(?!\d)",
    re.IGNORECASE,
)
_YEAR = re.compile(r"\bHCPCS\s+((?:19|20)\d{2})\b", re.IGNORECASE)
_COMPACT = re.compile(r"(?<!\d)(\d{2})[a-z]*_?(?:(jan|apr|jul|oct)|q([1-4]))(?![a-z])", re.I)


def text(value: object) -> str:
    """A cell as text: floats without a trailing .0, surrounding blanks (and the non-breaking
    spaces CMS leaves) removed."""
    if value is None:
        return ""
    if isinstance(value, float):
        value = str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip().strip("\xa0").strip()


def dropped_reason(code: str) -> str | None:
    """None for a Level II code (stored); else why the row is not stored: CPT (AMA
    copyright), CDT (ADA copyright; the HCPCS releases carry no D codes), or other."""
    if LEVEL_II.fullmatch(code) and not _CDT.fullmatch(code):
        return None
    if _CDT.fullmatch(code):
        return "CDT"
    if _CPT.fullmatch(code):
        return "CPT"
    return "other"


def decimal_text(
    value: object, column: str, *, blank: bool = True, places: int | None = None
) -> str | None:
    """The number a cell names, as decimal text; None for a blank cell (when `blank`).
    Raises LoadError naming the column for anything that is not a number.

    `places`: the decimals a workbook displays a computed number with. CMS's ASP workbook
    holds some amounts unrounded (J2247's limit is 0.3087723288 in the cell, $0.309 as
    shown and in the CSV): the number CMS publishes is the one shown."""
    if isinstance(value, float):  # an XLS number: repr is the text it was typed as
        found = _float_text(value, places)
        if found is None:
            raise LoadError(f"{value!r} is not an amount", field=column)
        return found
    cell = text(value)
    if not cell:
        if blank:
            return None
        raise LoadError("is blank; a number is needed", field=column)
    number = _number_text(cell)
    if number is None:
        raise LoadError(f"{cell!r} is not a number", field=column)
    return number


@functools.lru_cache(maxsize=4096)  # a fee schedule repeats a few hundred amounts
def _float_text(value: float, places: int | None) -> str | None:
    """None for what is no amount: negative, infinite, or a nonzero that rounds to 0."""
    if not math.isfinite(value) or value < 0:
        return None
    number = decimal.Decimal(repr(value))
    if places is not None:
        rounded = number.quantize(decimal.Decimal(1).scaleb(-places), decimal.ROUND_HALF_UP)
        if rounded == 0 and number != 0:
            return None
        number = rounded
    if len(number.as_tuple().digits) > MAX_DIGITS:
        return None
    return format_decimal(number)


@functools.lru_cache(maxsize=4096)
def _number_text(cell: str) -> str | None:
    if not _NUMBER.fullmatch(cell) or not any(c.isdigit() for c in cell):
        return None
    plain = cell.replace("$", "").replace(",", "").strip()
    if sum(c.isdigit() for c in plain) > MAX_DIGITS:
        return None
    return format_decimal(decimal.Decimal(plain))


def format_decimal(number: decimal.Decimal) -> str:
    """One text per number: no exponent, no trailing zeros after the point."""
    normal = number.normalize()
    if normal == 0:
        return "0"
    out = format(normal, "f")
    return out


def period(lines: list[str], names: Sequence[str] = ()) -> tuple[str, str | None] | None:
    """(first day, last day or None) from a file's title rows ("Effective October 1, 2025
    through December 31, 2025"; "January 2025 Fee Schedule" gives its first day), else from
    its sheet's and files' names ("2019 January Addendum B"; "CLFS 2025 Q1V1", a quarter;
    "PPRRVU25_JAN")."""
    for line in lines:
        found = _PERIOD.search(line)
        if found:
            start = _date(found.group(1), found.group(2), found.group(3))
            if start is None:
                raise LoadError(f"the title's period {line.strip()!r} starts on no date")
            until = _UNTIL.match(line, found.end())
            if until is None:
                return start, None
            end = until.group(1) and _date(until.group(1), until.group(2), until.group(3))
            if not end:
                raise LoadError(f"the title's period {line.strip()!r} ends on no date")
            if end < start:
                raise LoadError(f"the title's period {line.strip()!r} ends before it starts")
            return start, end
    for line in [*lines, *names]:
        month = _MONTH_YEAR.search(line)
        if month:
            name, year = _either(month)
            return _date(name, "1", year) or "", None
    for name in names:
        quarter = _QUARTER.search(name)
        if quarter:
            year, number = _either(quarter)
            return _quarter(int(year), int(number))
        compact = _COMPACT.search(name)
        if compact:
            century = 2000 + int(compact.group(1))
            if compact.group(3):
                return _quarter(century, int(compact.group(3)))
            return _date(compact.group(2), "1", str(century)) or "", None
        abbreviated = _ABBREVIATED.search(name)
        if abbreviated:
            return _date(abbreviated.group(1), "1", abbreviated.group(2)) or "", None
    for line in [*lines, *names]:
        annual = _YEAR.search(line)  # an annual list: "NOC CODES - HCPCS 2019"
        if annual:
            return f"{annual.group(1)}-01-01", None
    return None


def _either(found: re.Match[str]) -> tuple[str, str]:
    """The two parts of a pattern written either way round ("January 2025", "2025 January";
    "2025 Q1", "Q1 2025"): groups 1 and 2, or 4 and 3; the name or year first as group 1."""
    if found.group(1):
        return found.group(1), found.group(2)
    return found.group(4), found.group(3)


def _quarter(year: int, number: int) -> tuple[str, str]:
    first = dt.date(year, 3 * number - 2, 1)
    last = dt.date(year + (number == 4), (3 * number) % 12 + 1, 1) - dt.timedelta(days=1)
    return first.isoformat(), last.isoformat()


def _date(month: str, day: str, year: str) -> str | None:
    try:
        number = [m[:3] for m in _MONTHS].index(month.lower()[:3]) + 1  # JAN or January
        return dt.date(int(year), number, int(day)).isoformat()
    except ValueError:
        return None
