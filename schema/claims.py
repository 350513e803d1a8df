"""Claim line checks (issue 20): the rules, and the one function the query field calls.

A claim's lines are read once (bad input is BAD_USER_INPUT naming the line and field), then
everything they need is fetched through the request's loaders in two rounds (the records and
schedule rows of every line at once, then the history of the codes missing from their
release), so a claim costs the same statements for 5 lines as for 500. The rules then run
in Python, line by line, from what was fetched. README ("Checking claim lines") lists them
with their severity, the data each needs and the CMS source of its meaning.
"""

from __future__ import annotations

import asyncio
import bisect
import datetime as dt
import decimal
import json
import re
from collections import defaultdict
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal as Exact
from typing import Any

from hcpcs_graph.db.catalog import Catalog, PaymentReleaseRow, ReleaseRow
from hcpcs_graph.db.claims_queries import NocRow
from hcpcs_graph.db.fields import CodeRow
from hcpcs_graph.db.payments import ndc_codes
from hcpcs_graph.db.payments.dmepos_tables import STATES
from hcpcs_graph.db.payments.facility_queries import OppsRow
from hcpcs_graph.db.payments.opps_tables import status_indicators
from hcpcs_graph.db.payments.pfs_queries import LocalityRow, PfsRow
from hcpcs_graph.db.payments.pfs_tables import PAYABLE_STATUSES
from hcpcs_graph.db.payments.queries import AspRow, DmeposRow, NdcRow
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.history import status_on
from hcpcs_graph.schema.scalars import Decimal
from hcpcs_graph.schema.types.claims import (
    MAX_LINES,
    MAX_MODIFIERS,
    AllowedAmount,
    AllowedBasis,
    ClaimFinding,
    ClaimLineCheck,
    ClaimLineInput,
    ClaimRule,
    ClaimSetting,
    ClaimVerdict,
    FindingSeverity,
)
from hcpcs_graph.schema.types.payments import payment_release
from hcpcs_graph.schema.types.physician import amount as pfs_amount
from hcpcs_graph.schema.types.protocol import RequestContext as Context

INFO, WARNING, ERROR = FindingSeverity.INFO, FindingSeverity.WARNING, FindingSeverity.ERROR
_RANK = {INFO: 0, WARNING: 1, ERROR: 2}
_VERDICT = {0: ClaimVerdict.OK, 1: ClaimVerdict.WARNING, 2: ClaimVerdict.ERROR}

_CODE = re.compile(r"[A-Z0-9]{5}")  # what a claim line's procedure code field holds
_LEVEL_II = re.compile(r"[A-V][0-9]{4}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_LOCALITY = re.compile(r"([0-9]{5})-?([0-9]{2})")
_CENT = Exact("0.01")

# Coverage codes (the record layout's field 16, db/codetables.py): rule and severity. C is
# most codes' (61% in 2025-10): the contractor decides, as for any service without a
# national policy, so it is said (INFO) but does not make a line a warning.
COVERAGE_RULES = {
    "I": (ClaimRule.COVERAGE_NOT_PAYABLE, ERROR),
    "M": (ClaimRule.COVERAGE_NON_COVERED, ERROR),
    "S": (ClaimRule.COVERAGE_STATUTORY_EXCLUSION, ERROR),
    "D": (ClaimRule.COVERAGE_SPECIAL_INSTRUCTIONS, WARNING),
    "C": (ClaimRule.COVERAGE_CONTRACTOR_JUDGMENT, INFO),
}
COVERAGE_ADVICE = {
    "I": "Medicare does not pay for this code: bill the code Medicare uses for the service",
    "M": "Medicare does not cover it: the line will be denied (an ABN and modifier GA, GX, "
    "GY or GZ tell the contractor so)",
    "S": "Medicare's statute excludes it: the line will be denied",
    "D": "check the instructions (the code's CIM/MCM references, the NCD or LCD) before billing",
    "C": "the contractor decides coverage, as for any service without a national policy",
}
NOT_PRICED = {"00"}  # "Service not separately priced by part B"
CONTRACTOR_PRICED = {
    "13",
    "22",
    "46",
    "57",
}  # "Price established by carriers", "... carrier priced"
# OPPS status indicators (Addendum D1, db/payments/opps_tables.py) meaning "not paid under
# the OPPS": errors where Medicare pays nothing on an outpatient bill, warnings where
# another payment system pays (the claim goes elsewhere, or is paid at reasonable cost).
OPPS_NOT_PAID = {
    "B": ERROR,
    "C": ERROR,
    "D": ERROR,
    "E1": ERROR,
    "E2": ERROR,
    "M": ERROR,
    "A": WARNING,
    "F": WARNING,
    "L": WARNING,
    "Y": WARNING,
}
# NOC codes told from their descriptions, where no NOC list is in force on the date
NOC_WORDS = re.compile(
    r"\bnot[- ]otherwise[- ](classified|specified|listed)\b|\bunlisted\b|\bunclassified\b"
    r"|\bnoc\b|\bmiscellaneous\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class Line:
    """A claim line as read: codes upper-cased, the NDC as 11 digits."""

    number: int
    code: str
    date: str
    modifiers: tuple[str, ...]
    units: Exact | None
    ndc: str | None
    ndc11: str | None
    ndc_units: Exact | None
    state: str | None
    locality: tuple[str, str] | None
    setting: ClaimSetting


def _refuse(number: int, name: str, message: str) -> UserInputError:
    return UserInputError(
        f"line {number} (lines[{number - 1}].{name}): {message}", argument="lines"
    )


def _positive(number: int, name: str, value: str | None) -> Exact | None:
    if value is None:
        return None
    amount = Exact(value)
    if not amount.is_finite() or amount <= 0 or amount > 1_000_000:
        raise _refuse(number, name, f"{value!r} is not a positive number of at most 1,000,000")
    return amount


def read_line(number: int, given: ClaimLineInput) -> Line:
    code = given.code.strip().upper()
    if not _CODE.fullmatch(code):
        raise _refuse(number, "code", f"{given.code!r} is no procedure code (5 letters or digits)")
    modifiers = tuple(m.strip().upper() for m in given.modifiers)
    if len(modifiers) > MAX_MODIFIERS:
        raise _refuse(
            number, "modifiers", f"{len(modifiers)} modifiers; a line takes {MAX_MODIFIERS} at most"
        )
    for m in modifiers:
        if not _MODIFIER.fullmatch(m):
            raise _refuse(number, "modifiers", f"{m!r} is no modifier (2 letters or digits)")
    ndc11 = None
    if given.ndc is not None:
        try:
            ndc11 = ndc_codes.normalize(given.ndc)
        except ValueError as e:
            raise _refuse(number, "ndc", str(e)) from None
    elif given.ndc_units is not None:
        raise _refuse(number, "ndcUnits", "ndcUnits needs the line's ndc")
    state = None
    if given.state is not None:
        state = given.state.strip().upper()
        if state not in STATES:
            raise _refuse(number, "state", f"{given.state!r} is not a state of the DMEPOS schedule")
    locality = None
    if given.locality is not None:
        found = _LOCALITY.fullmatch(given.locality.strip())
        if found is None:
            raise _refuse(
                number, "locality", f"{given.locality!r} is no locality; give MAC and locality, "
                "e.g. 13202-01",
            )  # fmt: skip
        locality = (found[1], found[2])
    return Line(
        number=number,
        code=code,
        date=given.date_of_service,
        modifiers=modifiers,
        units=_positive(number, "units", given.units),
        ndc=given.ndc.strip() if given.ndc is not None else None,
        ndc11=ndc11,
        ndc_units=_positive(number, "ndcUnits", given.ndc_units),
        state=state,
        locality=locality,
        setting=given.setting,
    )


def read_lines(given: Sequence[ClaimLineInput]) -> list[Line]:
    if not given:
        raise UserInputError("lines: give at least one claim line", argument="lines")
    if len(given) > MAX_LINES:
        raise UserInputError(
            f"lines: {len(given)} lines; a check takes {MAX_LINES} at most", argument="lines"
        )
    return [read_line(n, line) for n, line in enumerate(given, 1)]


# -- what is in force on a date, from the catalog alone


def quarter_end(date: str) -> str:
    """The last day of the quarter `date` falls in (CMS updates HCPCS quarterly)."""
    day = dt.date.fromisoformat(date)
    first_month = (day.month - 1) // 3 * 3 + 1
    start = day.replace(month=first_month, day=1)
    following = (start + dt.timedelta(days=95)).replace(day=1)
    return (following - dt.timedelta(days=1)).isoformat()


@dataclass(slots=True)
class _Dates:
    """Per request: the HCPCS release and the schedule releases in force on each date."""

    catalog: Catalog
    starts: list[str] = field(init=False)
    ends: dict[str, str] = field(init=False)
    schedules: dict[tuple[str, str], PaymentReleaseRow | None] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.starts = [r.effective_date for r in self.catalog.releases]
        self.ends = {r.id: quarter_end(r.effective_date) for r in self.catalog.releases}

    def release(self, date: str) -> ReleaseRow | None:
        """`hcpcsCode(asOf:)`'s rule: the latest release effective on or before `date`."""
        at = bisect.bisect_right(self.starts, date)
        return self.catalog.releases[at - 1] if at else None

    def schedule(self, kind: str, date: str) -> PaymentReleaseRow | None:
        key = (kind, date)
        if key not in self.schedules:
            self.schedules[key] = self.catalog.payment_in_force(kind, date)
        return self.schedules[key]


def _hcpcs_source(release: ReleaseRow) -> tuple[str, str, str]:
    return f"{release.id} ({release.source_name})", release.id, release.source_name


def _finding(
    rule: ClaimRule,
    severity: FindingSeverity,
    message: str,
    line: Line,
    *,
    release: ReleaseRow | None = None,
    schedule: PaymentReleaseRow | None = None,
    codes: Sequence[str] = (),
) -> ClaimFinding:
    if schedule is not None:
        source, file = f"{schedule.id} ({schedule.source_name})", schedule.source_name
    elif release is not None:
        source, _, file = _hcpcs_source(release)
    else:
        source, file = "the loaded releases", None
    return ClaimFinding(
        rule=rule,
        severity=severity,
        message=message,
        codes=list(codes),
        source=source,
        release=release.id if release is not None else None,
        schedule=schedule.id if schedule is not None else None,
        file=file,
        date=line.date,
    )


def _loaded(catalog: Catalog) -> str:
    return ", ".join(r.id for r in catalog.releases)


def _loaded_schedules(catalog: Catalog, kind: str) -> str:
    found = [
        f"{p.id} ({p.effective_from} to {p.effective_through or 'the next release'})"
        for p in catalog.payments
        if p.kind == kind
    ]
    return ", ".join(found) or "none"


# -- fetching


@dataclass(slots=True)
class _Fetched:
    """What the claim's lines need: rows by (release, code or NDC), records by (release,
    is a modifier, code), versions in every loaded release by (is a modifier, code)."""

    records: dict[tuple[str, bool, str], CodeRow] = field(default_factory=dict)
    history: dict[tuple[bool, str], list[CodeRow]] = field(default_factory=dict)
    noc: dict[tuple[str, str], NocRow] = field(default_factory=dict)
    asp: dict[tuple[str, str], AspRow] = field(default_factory=dict)
    by_ndc: dict[tuple[str, str], list[NdcRow]] = field(default_factory=dict)
    dmepos: dict[tuple[str, str], list[DmeposRow]] = field(default_factory=dict)
    pfs: dict[tuple[str, str], list[PfsRow]] = field(default_factory=dict)
    opps: dict[tuple[str, str], OppsRow] = field(default_factory=dict)
    localities: dict[str, list[LocalityRow]] = field(default_factory=dict)


async def _fetch(ctx: Context, lines: list[Line], dates: _Dates) -> _Fetched:
    """Two rounds: every table's rows for every line at once (a statement per table and
    release), then every loaded version of the codes their release lacks."""
    loaders = ctx.loaders
    records: dict[tuple[str, bool], set[str]] = defaultdict(set)
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)  # (table, release) -> values

    def add(table: str, kind: str, date: str, value: str) -> None:
        found = dates.schedule(kind, date)
        if found is not None:
            wanted[table, found.id].add(value)

    for line in lines:
        release = dates.release(line.date)
        if release is None:
            continue
        records[release.id, False].add(line.code)
        records[release.id, True].update(line.modifiers)
        add("noc", "noc", line.date, line.code)
        add("asp", "asp", line.date, line.code)
        add("dmepos", "dmepos", line.date, line.code)
        add("dmepos", "dmepen", line.date, line.code)
        if line.ndc11 is not None:
            add("by_ndc", "ndc", line.date, line.ndc11)
        if line.locality is not None:
            add("pfs", "pfs", line.date, line.code)
        if line.setting is ClaimSetting.OUTPATIENT_HOSPITAL:
            add("opps", "opps", line.date, line.code)
    fetchers: dict[str, Callable[[str, list[str]], Awaitable[Mapping[str, Any]]]] = {
        "noc": loaders.claim_noc,
        "asp": loaders.claim_asp,
        "by_ndc": loaders.claim_ndc_rows,
        "dmepos": loaders.claim_dmepos,
        "pfs": loaders.claim_pfs,
        "opps": loaders.claim_opps,
    }
    got = _Fetched()
    record_keys = [k for k, codes in records.items() if codes]
    table_keys = list(wanted)
    pfs_releases = sorted({release for table, release in wanted if table == "pfs"})
    found_records, found_rows, found_localities = await asyncio.gather(
        asyncio.gather(
            *(loaders.claim_records(r, m, sorted(records[r, m])) for r, m in record_keys)
        ),
        asyncio.gather(*(fetchers[t](r, sorted(wanted[t, r])) for t, r in table_keys)),
        asyncio.gather(*(loaders.localities.load(r) for r in pfs_releases)),
    )
    for (rid, is_modifier), rows in zip(record_keys, found_records, strict=True):
        got.records.update(((rid, is_modifier, code), row) for code, row in rows.items())
    for (table, rid), by_value in zip(table_keys, found_rows, strict=True):
        target: dict[tuple[str, str], Any] = getattr(got, table)
        target.update(((rid, value), row) for value, row in by_value.items())
    got.localities = dict(zip(pfs_releases, found_localities, strict=True))
    # second round: the codes and modifiers their release lacks, in every loaded release
    missing: dict[bool, set[str]] = defaultdict(set)
    for (rid, is_modifier), codes in records.items():
        missing[is_modifier].update(c for c in codes if (rid, is_modifier, c) not in got.records)
    histories = await asyncio.gather(
        *(loaders.claim_history(m, sorted(codes)) for m, codes in missing.items() if codes)
    )
    for is_modifier, versions in zip(
        [m for m, codes in missing.items() if codes], histories, strict=True
    ):
        got.history.update(((is_modifier, code), rows) for code, rows in versions.items())
    return got


# -- the rules


def _record_findings(
    line: Line, value: str, is_modifier: bool, release: ReleaseRow, got: _Fetched, catalog: Catalog
) -> tuple[CodeRow | None, list[ClaimFinding]]:
    """The version of a code (or modifier) in force, and what is wrong with it on the date."""
    what = "modifier" if is_modifier else "code"
    rules = (
        (ClaimRule.MODIFIER_UNKNOWN, ClaimRule.MODIFIER_NOT_YET_EFFECTIVE, ClaimRule.MODIFIER_TERMINATED)
        if is_modifier
        else (ClaimRule.CODE_UNKNOWN, ClaimRule.CODE_NOT_YET_EFFECTIVE, ClaimRule.CODE_TERMINATED)
    )  # fmt: skip
    unknown, not_yet, terminated = rules
    row = got.records.get((release.id, is_modifier, value))
    version, where = row, release
    if row is None:
        versions = got.history.get((is_modifier, value), [])
        if not versions:
            hint = (
                ""
                if is_modifier or _LEVEL_II.fullmatch(value)
                else " (not a HCPCS Level II code: a CPT code is not checked here)"
            )
            message = f"{what} {value} is in no loaded release{hint}; loaded: {_loaded(catalog)}"
            return None, [_finding(unknown, ERROR, message, line, release=release)]
        version = versions[-1]  # its newest loaded version: dates as CMS last gave them
        newest = catalog.release(version.release)
        assert newest is not None  # a row's release is loaded
        where = newest
    assert version is not None
    status = status_on(version, line.date)
    if status == "NOT_YET_ADDED":
        message = (
            f"{what} {value} was added {version.added_date}, after the date of service {line.date}"
        )
        return row, [_finding(not_yet, ERROR, message, line, release=where)]
    if status == "TERMINATED":
        replacements = json.loads(version.cross_references)
        message = (
            f"{what} {value} was terminated: its termination date, the last date it may be "
            f"used, is {version.termination_date}, before the date of service {line.date}"
        )
        if replacements:
            message += f"; CMS's cross reference: {', '.join(replacements)}"
        return row, [_finding(terminated, ERROR, message, line, release=where, codes=replacements)]
    if row is None:
        # valid by its own dates, but the release in force does not list it (it was added
        # between that release and the next loaded one)
        message = (
            f"{what} {value} is not in {release.id}, the release in force on {line.date}; "
            f"{where.id} has it, added {version.added_date}"
        )
        return None, [_finding(unknown, WARNING, message, line, release=where)]
    return row, []


def _code_findings(
    line: Line, row: CodeRow, release: ReleaseRow, catalog: Catalog
) -> list[ClaimFinding]:
    out: list[ClaimFinding] = []
    coverage = row.coverage
    if coverage in COVERAGE_RULES:
        rule, severity = COVERAGE_RULES[coverage]
        meaning = catalog.entry("coverage", coverage).description
        codes = json.loads(row.cross_references) if coverage == "I" else []
        message = (
            f"{line.code}'s coverage code is {coverage}, {meaning}: {COVERAGE_ADVICE[coverage]}"
        )
        if codes:
            message += f" (CMS's cross reference: {', '.join(codes)})"
        out.append(_finding(rule, severity, message, line, release=release, codes=codes))
    indicators = json.loads(row.pricing_indicators)
    if indicators and all(i in NOT_PRICED for i in indicators):
        meaning = catalog.entry("pricing_indicator", indicators[0]).description
        message = f"{line.code}'s pricing indicator is 00, {meaning}: no separate Part B payment"
        out.append(
            _finding(ClaimRule.NOT_SEPARATELY_PRICED, WARNING, message, line, release=release)
        )
    priced_by = [i for i in indicators if i in CONTRACTOR_PRICED]
    if priced_by:
        meaning = catalog.entry("pricing_indicator", priced_by[0]).description
        message = (
            f"{line.code}'s pricing indicator is {priced_by[0]}, {meaning}: the contractor sets "
            "the amount (expect to send an invoice or documentation)"
        )
        out.append(_finding(ClaimRule.CONTRACTOR_PRICED, WARNING, message, line, release=release))
    return out


def _noc_finding(
    line: Line, row: CodeRow, release: ReleaseRow, dates: _Dates, got: _Fetched
) -> ClaimFinding | None:
    listed = dates.schedule("noc", line.date)
    advice = (
        "the claim needs a narrative description of what was furnished (item 19, or loop 2400 NTE)"
    )
    if listed is not None:
        noc = got.noc.get((listed.id, line.code))
        if noc is None:
            return None
        if (noc.added_date or "") > line.date or (noc.termination_date or "9999") < line.date:
            return None
        message = f"{line.code} is on CMS's NOC list ('{noc.long_description}'): {advice}"
        return _finding(ClaimRule.NOT_OTHERWISE_CLASSIFIED, WARNING, message, line, schedule=listed)
    words = NOC_WORDS.search(row.long_description)
    if words is None:
        return None
    message = (
        f"{line.code} is a not otherwise classified code by its description "
        f"('{words[0]}' in '{row.long_description}'; no NOC list is loaded for {line.date}): "
        f"{advice}"
    )
    return _finding(ClaimRule.NOT_OTHERWISE_CLASSIFIED, WARNING, message, line, release=release)


def _not_checked(line: Line, what: str, kind: str, catalog: Catalog) -> ClaimFinding:
    message = (
        f"{what} not checked: no {kind} release is in force on {line.date} (loaded: "
        f"{_loaded_schedules(catalog, kind)})"
    )
    return _finding(ClaimRule.NOT_CHECKED, INFO, message, line)


def _whole(value: Exact) -> bool:
    return value == value.to_integral_value()


@dataclass(slots=True)
class _Payment:
    findings: list[ClaimFinding] = field(default_factory=list)
    allowed: AllowedAmount | None = None


def _allowed(
    ctx: Context,
    per_unit: str,
    units: Exact,
    basis: AllowedBasis,
    detail: str,
    schedule: PaymentReleaseRow,
) -> AllowedAmount:
    with decimal.localcontext(prec=60, rounding=decimal.ROUND_HALF_UP):
        total = (Exact(per_unit) * units).quantize(_CENT)
    return AllowedAmount(
        amount=Decimal(format(total.normalize(), "f")),
        per_unit=Decimal(per_unit),
        units=Decimal(format(units.normalize(), "f")),
        basis=basis,
        detail=detail,
        schedule=payment_release(ctx, schedule),
    )


def _payment_findings(ctx: Context, line: Line, dates: _Dates, got: _Fetched) -> _Payment:
    catalog = ctx.catalog
    out = _Payment()
    units = line.units
    # the NDC: crosswalked to this code in the quarter, and its packages in whole units
    if line.ndc11 is not None:
        crosswalk = dates.schedule("ndc", line.date)
        if crosswalk is None:
            out.findings.append(_not_checked(line, f"NDC {line.ndc}", "ndc", catalog))
        else:
            # the NDC's rows name every code it bills under: this one, or others
            rows = got.by_ndc.get((crosswalk.id, line.ndc11), [])
            match = next((r for r in rows if r.code == line.code), None)
            if match is None:
                elsewhere = sorted({r.code for r in rows})
                where = (
                    f"it is crosswalked to {', '.join(elsewhere)}"
                    if elsewhere
                    else "the crosswalk does not list it"
                )
                message = (
                    f"NDC {line.ndc} ({line.ndc11}) is not crosswalked to {line.code} in "
                    f"{crosswalk.id}: {where}"
                )
                out.findings.append(
                    _finding(
                        ClaimRule.NDC_NOT_CROSSWALKED,
                        WARNING,
                        message,
                        line,
                        schedule=crosswalk,
                        codes=elsewhere,
                    )
                )
            elif line.ndc_units is not None:
                per_package = Exact(match.billing_units_per_package)
                billing = line.ndc_units * per_package
                if not _whole(billing):
                    message = (
                        f"{line.ndc_units} packages of NDC {match.ndc} x "
                        f"{match.billing_units_per_package} billing units per package = "
                        f"{billing.normalize()}, not a whole number of {line.code}'s units "
                        f"({match.dosage})"
                    )
                    out.findings.append(
                        _finding(
                            ClaimRule.NDC_UNITS_NOT_WHOLE,
                            WARNING,
                            message,
                            line,
                            schedule=crosswalk,
                        )
                    )
                elif units is None:
                    units = billing
    units = units if units is not None else Exact(1)
    # the allowed amount: the ASP limit, else a DMEPOS fee, else the physician fee
    asp = dates.schedule("asp", line.date)
    price = None if asp is None else got.asp.get((asp.id, line.code))
    if asp is not None and price is not None and price.payment_limit is not None:
        out.allowed = _allowed(
            ctx, price.payment_limit, units, AllowedBasis.ASP_LIMIT, f"per {price.dosage}", asp
        )
    _dmepos(ctx, line, dates, got, units, out)
    if line.locality is not None and out.allowed is None:
        _physician(ctx, line, dates, got, units, out)
    if line.setting is ClaimSetting.OUTPATIENT_HOSPITAL:
        _opps(line, dates, got, out, catalog)
    return out


def _dmepos(
    ctx: Context, line: Line, dates: _Dates, got: _Fetched, units: Exact, out: _Payment
) -> None:
    rows: list[tuple[PaymentReleaseRow, DmeposRow]] = []
    for kind in ("dmepos", "dmepen"):
        release = dates.schedule(kind, line.date)
        if release is not None:
            rows.extend((release, r) for r in got.dmepos.get((release.id, line.code), []))
    if not rows:
        return
    # the pricing modifiers are those the schedule's rows use; others (KX, LT) do not price
    pricing = {m for _, r in rows for m in (r.modifier, r.modifier2) if m}
    wanted = sorted(m for m in line.modifiers if m in pricing)
    matching = [
        (s, r) for s, r in rows if sorted(m for m in (r.modifier, r.modifier2) if m) == wanted
    ]
    schedule = rows[0][0]
    combos = sorted(
        {"+".join(m for m in (r.modifier, r.modifier2) if m) or "none" for _, r in rows}
    )
    shown = "+".join(wanted) or "no pricing modifier"
    if not matching:
        message = (
            f"{line.code} has no {schedule.kind.upper()} fee with {shown} in {schedule.id}; "
            f"its rows are priced with: {', '.join(combos)}"
        )
        out.findings.append(
            _finding(ClaimRule.DMEPOS_NO_FEE, ERROR, message, line, schedule=schedule)
        )
        return
    if line.state is None:
        message = f"{line.code}'s DMEPOS fee not checked: the line gives no state"
        out.findings.append(_finding(ClaimRule.NOT_CHECKED, INFO, message, line, schedule=schedule))
        return
    release, row = matching[0]
    fee = _fees(ctx, row).get(line.state)
    if fee is None or Exact(fee) == 0:
        message = (
            f"{line.code} with {shown} has no {release.kind.upper()} fee in {line.state} in "
            f"{release.id}"
        )
        out.findings.append(
            _finding(ClaimRule.DMEPOS_NO_FEE, ERROR, message, line, schedule=release)
        )
        return
    if out.allowed is None:
        detail = f"{line.state} non-rural, modifiers {shown}"
        out.allowed = _allowed(ctx, fee, units, AllowedBasis.DMEPOS_FEE, detail, release)


def _fees(ctx: Context, row: DmeposRow) -> dict[str, str]:
    """A row's non-rural fee by state, read once per database file (53 states of JSON)."""
    key = ("claim_dmepos_fees", row.release, row.code, row.row)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = {st: nr for st, nr, _ in json.loads(row.fees)}
    assert isinstance(found, dict)
    return found


def _physician(
    ctx: Context, line: Line, dates: _Dates, got: _Fetched, units: Exact, out: _Payment
) -> None:
    assert line.locality is not None
    release = dates.schedule("pfs", line.date)
    if release is None:
        out.findings.append(_not_checked(line, "the physician fee", "pfs", ctx.catalog))
        return
    component = next((m for m in line.modifiers if m in ("26", "TC", "53")), "")
    row = next(
        (r for r in got.pfs.get((release.id, line.code), []) if r.modifier == component), None
    )
    if row is None or row.status not in PAYABLE_STATUSES:
        return
    place = next(
        (p for p in got.localities.get(release.id, []) if (p.mac, p.locality) == line.locality),
        None,
    )
    name = "-".join(line.locality)
    if place is None:
        message = f"the physician fee not computed: {name} is not a locality of {release.id}"
        out.findings.append(_finding(ClaimRule.NOT_CHECKED, INFO, message, line, schedule=release))
        return
    facility = line.setting is not ClaimSetting.PROFESSIONAL
    pe, na = (row.facility_pe_rvu, row.facility_na) if facility else (
        row.nonfacility_pe_rvu, row.nonfacility_na
    )  # fmt: skip
    if na:
        return
    gpcis = (place.work_gpci, place.pe_gpci, place.mp_gpci)
    per_unit = pfs_amount((row.work_rvu, pe, row.mp_rvu), gpcis, row.conversion_factor)
    detail = f"locality {name}, {'facility' if facility else 'non-facility'}"
    if component:
        detail += f", modifier {component}"
    out.allowed = _allowed(ctx, per_unit, units, AllowedBasis.PHYSICIAN_FEE, detail, release)


def _opps(line: Line, dates: _Dates, got: _Fetched, out: _Payment, catalog: Catalog) -> None:
    release = dates.schedule("opps", line.date)
    if release is None:
        out.findings.append(_not_checked(line, "the OPPS status indicator", "opps", catalog))
        return
    row = got.opps.get((release.id, line.code))
    if row is None or row.status_indicator not in OPPS_NOT_PAID:
        return
    meaning = status_indicators(int(release.effective_from[:4])).get(row.status_indicator, "")
    message = (
        f"{line.code}'s OPPS status indicator is {row.status_indicator} in {release.id}: {meaning}"
    )
    severity = OPPS_NOT_PAID[row.status_indicator]
    out.findings.append(
        _finding(ClaimRule.OPPS_NOT_PAID, severity, message, line, schedule=release)
    )


def _check(ctx: Context, line: Line, dates: _Dates, got: _Fetched) -> ClaimLineCheck:
    catalog = ctx.catalog
    findings: list[ClaimFinding] = []
    code = None
    allowed = None
    release = dates.release(line.date)
    if release is None:
        first = catalog.releases[0]
        message = (
            f"the date of service {line.date} is before every loaded release (the earliest, "
            f"{first.id}, is effective from {first.effective_date}): nothing was checked; "
            f"loaded: {_loaded(catalog)}"
        )
        findings.append(_finding(ClaimRule.DATE_OUTSIDE_RELEASES, WARNING, message, line))
    else:
        if line.date > dates.ends[release.id]:
            message = (
                f"the date of service {line.date} is in no loaded release's quarter: checked "
                f"against {release.id}, in force from {release.effective_date} (its quarter "
                f"ends {dates.ends[release.id]}), whose codes may have changed since; loaded: "
                f"{_loaded(catalog)}"
            )
            findings.append(
                _finding(ClaimRule.DATE_OUTSIDE_RELEASES, WARNING, message, line, release=release)
            )
        row, found = _record_findings(line, line.code, False, release, got, catalog)
        findings.extend(found)
        for modifier in line.modifiers:
            findings.extend(_record_findings(line, modifier, True, release, got, catalog)[1])
        if row is not None:
            code = ctx.build.record(row, line.date)
        if row is not None and not found:
            findings.extend(_code_findings(line, row, release, catalog))
            noc = _noc_finding(line, row, release, dates, got)
            if noc is not None:
                findings.append(noc)
            payment = _payment_findings(ctx, line, dates, got)
            findings.extend(payment.findings)
            allowed = payment.allowed
    findings.sort(key=lambda f: -_RANK[f.severity])
    worst = max((_RANK[f.severity] for f in findings), default=0)
    return ClaimLineCheck(
        line=line.number, verdict=_VERDICT[worst], code=code, findings=findings, allowed=allowed
    )


async def check_claim_lines(ctx: Context, given: Sequence[ClaimLineInput]) -> list[ClaimLineCheck]:
    lines = read_lines(given)
    dates = _Dates(ctx.catalog)
    got = await _fetch(ctx, lines, dates)
    return [_check(ctx, line, dates, got) for line in lines]
