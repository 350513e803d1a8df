"""What a user names to `hcpcs load` as a payment file: its bytes, kind, header and period.

The kind comes from the content (db/payments/kinds.py), so a renamed file still loads.
CMS's ZIPs hold the same table twice (the ASP pricing ZIP: an XLS and its "section 508"
CSV); the CSV is read, as its numbers are the text CMS wrote.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import os
import re
import zipfile
from dataclasses import dataclass, field

from hcpcs_graph.db.errors import LoadError
from hcpcs_graph.db.payments import tables
from hcpcs_graph.db.payments.kinds import (
    KINDS,
    UNKNOWN,
    Header,
    Kind,
    UnknownKind,
    find,
    recognise,
)
from hcpcs_graph.db.payments.values import period
from hcpcs_graph.db.sources import fetch, kind_of
from hcpcs_graph.db.workbook import is_hcpcs_workbook

_FORMATS = {"csv": 0, "xlsx": 1, "xls": 2, "txt": 3, "tilde": 3}  # preference in a ZIP
_HCPCS_LINE = re.compile(rb"[ A-Z0-9]{5}\d{5}[1-8]")  # a fixed-width HCPCS record's start
_EFFECTIVE = re.compile(r"(\d{4}-\d{2}-\d{2})(?:(?::|\.\.)(\d{4}-\d{2}-\d{2}))?")


@dataclass(slots=True)
class Member:
    """One table file of what the user gave (a ZIP holds several), read when first asked."""

    label: str  # "x.zip!inner.csv", or the file's name
    format: str  # csv, xls or xlsx
    data: bytes
    _sheets: list[tables.Sheet] | None = None

    def sheets(self) -> list[tables.Sheet]:
        if self._sheets is None:
            self._sheets = tables.read(self.data, self.format, self.label)
        return self._sheets


@dataclass(slots=True)
class PaymentSource:
    label: str  # "x.zip!inner.csv", or the file's name
    format: str  # csv, xls or xlsx
    sha256: str  # of what the user gave
    kind: Kind
    header: Header
    effective_from: str
    effective_through: str | None
    # every table file given, the main one first: a schedule's other parts are read from
    # them (the RVU ZIP's GPCI file, the ASC workbook's BB sheet)
    members: list[Member] = field(default_factory=list)

    def part(self, kind: Kind) -> tuple[str, Header] | None:
        """(label, header) of a part of the schedule's file set: in the main file's own
        sheets, then in the files of its format, then in the others."""
        ordered = sorted(
            self.members, key=lambda m: (m.label != self.label, m.format != self.format)
        )
        for member in ordered:
            header = find(member.sheets(), kind, member.label)
            if header is not None:
                return member.label, header
        return None

    @property
    def release(self) -> str:
        """The schedule release's id: kind and the month it takes effect, asp-2025-01."""
        return f"{self.kind.name}-{self.effective_from[:7]}"


def is_hcpcs_file(name: str, data: bytes) -> bool:
    """Whether `hcpcs load` should read the file as a HCPCS release (db/sources.py): CMS's
    fixed-width TXT, its workbook (HCPC and RECID columns), or a ZIP holding them. A ZIP
    that cannot be read is left to the HCPCS reader, which says so in one line."""
    try:
        fmt = kind_of(data)
    except zipfile.BadZipFile:
        return True
    if fmt == "txt":
        first = next((line for line in data.splitlines() if line.strip()), b"")
        return bool(_HCPCS_LINE.match(first))
    if fmt == "zip":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return any(
                "anweb" in n.lower() and "trans" not in n.lower() for n in archive.namelist()
            )
    return is_hcpcs_workbook(data)


def _format(name: str, data: bytes) -> str | None:
    try:
        fmt = kind_of(data)
    except zipfile.BadZipFile:  # a damaged workbook: its reader says so
        return "xlsx" if name.lower().endswith(".xlsx") else None
    if fmt in ("xls", "xlsx"):
        return fmt
    if fmt != "txt":
        return None
    first = data[:4096].split(b"\n", 1)[0]
    if first.count(b"~") >= 1 and name.lower().endswith(".txt"):
        return "tilde"  # the CLFS's TXT: HDR~ lines, then YEAR~HCPCS~MOD~... rows
    if name.lower().endswith(".txt"):
        return None  # CMS's other TXTs are fixed-width copies of a CSV beside them
    if name.lower().endswith(".csv") or b"," in data[:4096]:
        return "csv"
    return None


MAX_MEMBER = 256 * 2**20  # uncompressed bytes of one file in a ZIP (CMS's largest: ~20 MB)


def _members(label: str, data: bytes) -> list[tuple[str, str, bytes]]:
    """(name, format, bytes) of each table in a ZIP, the preferred format first."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as e:
        raise LoadError(f"not a readable ZIP ({e})", file=label) from None
    found = []
    with archive:
        for member in archive.infolist():
            base = os.path.basename(member.filename)
            suffix = base.lower().rsplit(".", 1)[-1]
            if member.is_dir() or "__MACOSX" in member.filename or suffix not in _FORMATS:
                continue
            if member.file_size > MAX_MEMBER:
                raise LoadError(
                    f"{base} is {member.file_size / 2**20:,.0f} MiB uncompressed; a CMS file "
                    f"is at most {MAX_MEMBER // 2**20} MiB",
                    file=label,
                )
            try:
                with archive.open(member) as handle:
                    body = handle.read(MAX_MEMBER + 1)
            except (zipfile.BadZipFile, OSError, RuntimeError, EOFError) as e:
                raise LoadError(f"cannot extract {base} ({e})", file=label) from None
            fmt = _format(base, body)
            if fmt is not None:
                found.append((_FORMATS[fmt], base, fmt, body))
    return [(base, fmt, body) for _, base, fmt, body in sorted(found)]


def open_payment(
    path: str,
    *,
    kind: str | None = None,
    effective: str | None = None,
    data: bytes | None = None,
) -> PaymentSource:
    """Read PATH (a file or an http(s) URL; or `data`, its bytes) as a payment file; `kind` overrides the guess,
    `effective` (YYYY-MM-DD, or FROM:THROUGH) the period its title rows give."""
    if kind is not None and kind not in KINDS:
        raise LoadError(f"--kind {kind!r} is not one of {', '.join(KINDS)}")
    outer = os.path.basename(path)
    if data is None:
        outer, data = fetch(path)
    if not data.strip():
        raise LoadError("the file is empty", file=outer)
    digest = hashlib.sha256(data).hexdigest()
    try:
        zipped = kind_of(data) == "zip"
    except zipfile.BadZipFile as e:
        raise LoadError(f"not a readable ZIP ({e})", file=outer) from None
    if zipped:
        members = _members(outer, data)
        if not members:
            raise UnknownKind(UNKNOWN + ": the ZIP holds no CSV, XLSX or XLS file", file=outer)
    else:
        fmt = _format(outer, data)
        if fmt is None:
            raise UnknownKind(UNKNOWN, file=outer)
        members = [(outer, fmt, data)]
    failure: LoadError | None = None
    given = [Member(n if n == outer else f"{outer}!{n}", fmt, body) for n, fmt, body in members]
    for member in given:
        try:
            chosen, header = recognise(member.sheets(), member.label, kind)
        except LoadError as e:
            if failure is None or (
                isinstance(failure, UnknownKind) and not isinstance(e, UnknownKind)
            ):
                failure = e  # a file recognised but broken says more than an unknown one
            continue
        _one_schedule(given, member, chosen, outer)
        names = [header.sheet.name or "", *header.columns, member.label, outer]
        start, through = _period(header, member.label, effective, names)
        if through is None and chosen.name in QUARTERLY and not effective:
            through = quarter_end(start)
        return PaymentSource(
            member.label, member.format, digest, chosen, header, start, through, given
        )
    assert failure is not None
    if len(members) > 1:
        failure.message += f" (nor in the ZIP's other files: {', '.join(m[0] for m in members)})"
    raise failure


def _one_schedule(given: list[Member], chosen: Member, kind: Kind, outer: str) -> None:
    """A ZIP holding the files of two schedules (an ASP file and a crosswalk) is refused,
    not half loaded. Only the files of the chosen one's format are looked at: CMS ships one
    table as CSV, XLSX and TXT side by side."""
    for member in given:
        if member is chosen or member.format != chosen.format:
            continue
        try:
            other, _ = recognise(member.sheets(), member.label)
        except LoadError:
            continue
        if other.name != kind.name:
            raise LoadError(
                f"the ZIP holds {kind.a} ({chosen.label.split('!')[-1]}) and "
                f"{other.a} ({member.label.split('!')[-1]}): load each file on its own",
                file=outer,
            )


# Schedules CMS republishes every quarter: a file naming its quarter's first month ("2019
# January Addendum B", RVU25A's "January Release") is in force for that quarter only, so a
# date of service a year on finds nothing rather than an old rate. DMEPOS is updated "as
# necessary", and a file holds until the next one.
QUARTERLY = frozenset({"pfs", "clfs", "asc", "opps"})


def quarter_end(start: str) -> str:
    """The last day of the quarter `start` (ISO) falls in."""
    day = dt.date.fromisoformat(start)
    next_month = (day.month - 1) // 3 * 3 + 4  # 4, 7, 10 or 13 (January of the next year)
    first_of_next = dt.date(day.year + next_month // 13, (next_month - 1) % 12 + 1, 1)
    return (first_of_next - dt.timedelta(days=1)).isoformat()


def _period(
    header: Header, label: str, effective: str | None, names: list[str]
) -> tuple[str, str | None]:
    if effective:
        found = _EFFECTIVE.fullmatch(effective.strip())
        if not found or not all(_is_date(d) for d in found.groups() if d):
            raise LoadError(f"--effective {effective!r} is not YYYY-MM-DD or YYYY-MM-DD:YYYY-MM-DD")
        start, through = found.group(1), found.group(2)
        if not all("1990" <= d[:4] <= "2100" for d in (start, through) if d):
            raise LoadError(f"--effective {effective!r} is not a date of Medicare's files")
        if through and through < start:
            raise LoadError(f"--effective {effective!r} ends before it starts")
        return start, through
    try:
        found_period = period(header.title, names)
    except LoadError as e:
        raise e.located(file=label) from None
    if found_period is None:
        raise LoadError(
            "the title rows do not say when the schedule takes effect; pass "
            "--effective YYYY-MM-DD (or FROM:THROUGH)",
            file=label,
        )
    return found_period


def _is_date(text: str) -> bool:
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True
