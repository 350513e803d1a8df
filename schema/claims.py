"""Claim line checks (issue 20): the rules, and the one function the query field calls.

A claim's lines are read once (bad input is BAD_USER_INPUT naming the line and field), then
everything they need is fetched by schema/claim_rows.py in two rounds (the records and
schedule rows of every line at once, then the history of the codes missing from their
release), so a claim costs the same statements for 5 lines as for 500, and none for the rows
earlier claims read. The rules then run in Python, line by line, from what was fetched.
README ("Checking claim lines") lists them with their severity, the data each needs and the
CMS source of its meaning.
"""

from __future__ import annotations

import decimal
import functools
import json
import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal as Exact

from hcpcs_graph.db.catalog import Catalog, PaymentReleaseRow, ReleaseRow
from hcpcs_graph.db.fields import CodeRow
from hcpcs_graph.db.payments import ndc_codes
from hcpcs_graph.db.payments.dmepos_tables import STATES
from hcpcs_graph.db.payments.opps_tables import status_indicators
from hcpcs_graph.db.payments.pfs_tables import PAYABLE_STATUSES
from hcpcs_graph.schema.claim_rows import ClaimRows, InForce, fetch, in_force
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
_VERDICT = (ClaimVerdict.OK, ClaimVerdict.WARNING, ClaimVerdict.ERROR)  # by rank

_CODE = re.compile(r"[A-Z0-9]{5}")  # what a claim line's procedure code field holds
_LEVEL_II = re.compile(r"[A-V][0-9]{4}")
_MODIFIER = re.compile(r"[A-Z0-9]{2}")
_LOCALITY = re.compile(r"([0-9]{5})-?([0-9]{2})")
# A finding and a line's answer are made by filling their dict, not by the dataclass
# __init__ of their Strawberry type (a third of the time, ~1,400 a claim): every field is
# given, and neither type has a __post_init__ (tests/schema/test_claims.py checks both).
_new = object.__new__
_CENT = Exact("0.01")
_ZERO, _MOST_UNITS = Exact(0), Exact(1_000_000)
# amounts times units, exactly (60 digits), rounded half up to the cent once
_MONEY = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
_OUTPATIENT = ClaimSetting.OUTPATIENT_HOSPITAL

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


# (unknown, not yet effective, terminated) for codes and for modifiers
_RECORD_RULES = {
    False: (ClaimRule.CODE_UNKNOWN, ClaimRule.CODE_NOT_YET_EFFECTIVE, ClaimRule.CODE_TERMINATED),
    True: (
        ClaimRule.MODIFIER_UNKNOWN,
        ClaimRule.MODIFIER_NOT_YET_EFFECTIVE,
        ClaimRule.MODIFIER_TERMINATED,
    ),
}


@dataclass(slots=True)
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


def _positive(number: int, name: str, value: str) -> Exact:
    amount = Exact(value)
    if not amount.is_finite() or amount <= _ZERO or amount > _MOST_UNITS:
        raise _refuse(number, name, f"{value!r} is not a positive number of at most 1,000,000")
    return amount


def read_line(number: int, given: ClaimLineInput) -> Line:
    code = given.code.strip().upper()
    if not _CODE.fullmatch(code):
        raise _refuse(number, "code", f"{given.code!r} is no procedure code (5 letters or digits)")
    modifiers = tuple(m.strip().upper() for m in given.modifiers) if given.modifiers else ()
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
    units, ndc_units = given.units, given.ndc_units
    return Line(
        number,
        code,
        given.date_of_service,
        modifiers,
        None if units is None else _positive(number, "units", units),
        given.ndc.strip() if given.ndc is not None else None,
        ndc11,
        None if ndc_units is None else _positive(number, "ndcUnits", ndc_units),
        state,
        locality,
        given.setting,
    )


def read_lines(given: Sequence[ClaimLineInput]) -> list[Line]:
    if not given:
        raise UserInputError("lines: give at least one claim line", argument="lines")
    if len(given) > MAX_LINES:
        raise UserInputError(
            f"lines: {len(given)} lines; a check takes {MAX_LINES} at most", argument="lines"
        )
    return [read_line(n, line) for n, line in enumerate(given, 1)]


@functools.lru_cache(maxsize=4096)
def _json_list(text: str) -> tuple[str, ...]:
    """A record's JSON list (pricing indicators, cross references): a few hundred distinct
    texts, each short."""
    return tuple(json.loads(text))


@functools.lru_cache(maxsize=1024)
def _pricing(text: str) -> tuple[bool, str | None]:
    """A record's pricing indicators (JSON): whether all say not separately priced (00),
    and the first that says the contractor prices it."""
    indicators = _json_list(text)
    not_priced = bool(indicators) and all(i in NOT_PRICED for i in indicators)
    return not_priced, next((i for i in indicators if i in CONTRACTOR_PRICED), None)


@functools.lru_cache(maxsize=256)
def _source(release: str, file: str) -> str:
    """A finding's source: the release and the file it was loaded from."""
    return f"{release} ({file})"


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
        source, file = _source(schedule.id, schedule.source_name), schedule.source_name
    elif release is not None:
        source, file = _source(release.id, release.source_name), release.source_name
    else:
        source, file = "the loaded releases", None
    finding = _new(ClaimFinding)
    finding.__dict__.update(
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
    return finding


def _loaded(catalog: Catalog) -> str:
    return ", ".join(r.id for r in catalog.releases)


def _loaded_schedules(ctx: Context, kind: str) -> str:
    """The releases of a schedule kind that are loaded, with their periods."""
    key = ("claim_loaded_schedules", kind)  # one per kind, per database file
    said = ctx.cache.objects.get(key)
    if said is None:
        said = ctx.cache.objects[key] = _list_schedules(ctx.catalog, kind)
    assert isinstance(said, str)
    return said


def _list_schedules(catalog: Catalog, kind: str) -> str:
    found = [
        f"{p.id} ({p.effective_from} to {p.effective_through or 'the next release'})"
        for p in catalog.payments
        if p.kind == kind
    ]
    return ", ".join(found) or "none"


# -- fetching


def _wanted(lines: list[Line], found: dict[str, InForce]) -> dict[tuple[str, str], set[str]]:
    """The values each table is asked for, by (table, release in force)."""
    wanted: dict[tuple[str, str], set[str]] = defaultdict(set)
    codes: dict[str, set[str]] = defaultdict(set)  # by date: each date's tables get them all
    for line in lines:
        at = found[line.date]
        if at.release is None:
            continue
        codes[line.date].add(line.code)
        if line.modifiers:
            wanted[at.modifiers].update(line.modifiers)  # type: ignore[index]  # set with a release
        if line.ndc11 is not None and at.ndc is not None:
            wanted[at.ndc].add(line.ndc11)
        if line.locality is not None and at.pfs is not None:
            wanted[at.pfs].add(line.code)
        if line.setting is _OUTPATIENT and at.opps is not None:
            wanted[at.opps].add(line.code)
    for date, by_date in codes.items():
        for table in found[date].by_code:
            wanted[table] |= by_date
    return wanted


# -- the rules


def _record_findings(
    line: Line, value: str, is_modifier: bool, release: ReleaseRow, got: ClaimRows, catalog: Catalog
) -> tuple[CodeRow | None, Sequence[ClaimFinding]]:
    """The version of a code (or modifier) in force, and what is wrong with it on the date."""
    what = "modifier" if is_modifier else "code"
    row = got.one(what, release.id, value)
    if row is not None:
        added, terminated_on = row.added_date, row.termination_date
        if (added is None or added <= line.date) and (
            terminated_on is None or terminated_on >= line.date
        ):
            return row, ()  # in force on the date: most lines
    unknown, not_yet, terminated = _RECORD_RULES[is_modifier]
    version, where = row, release
    if row is None:
        versions = got.history(is_modifier, value)
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
        replacements = _json_list(version.cross_references)
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
    return row, ()


def _code_findings(
    line: Line, row: CodeRow, release: ReleaseRow, catalog: Catalog
) -> list[ClaimFinding]:
    out: list[ClaimFinding] = []
    coverage = row.coverage
    if coverage in COVERAGE_RULES:
        rule, severity = COVERAGE_RULES[coverage]
        codes = _json_list(row.cross_references) if coverage == "I" else ()
        meaning = catalog.entry("coverage", coverage).description
        message = (
            f"{line.code}'s coverage code is {coverage}, {meaning}: {COVERAGE_ADVICE[coverage]}"
        )
        if codes:
            message += f" (CMS's cross reference: {', '.join(codes)})"
        out.append(_finding(rule, severity, message, line, release=release, codes=codes))
    not_priced, priced_by = _pricing(row.pricing_indicators)
    if not_priced:
        meaning = catalog.entry("pricing_indicator", "00").description
        message = f"{line.code}'s pricing indicator is 00, {meaning}: no separate Part B payment"
        out.append(
            _finding(ClaimRule.NOT_SEPARATELY_PRICED, WARNING, message, line, release=release)
        )
    if priced_by is not None:
        meaning = catalog.entry("pricing_indicator", priced_by).description
        message = (
            f"{line.code}'s pricing indicator is {priced_by}, {meaning}: the contractor sets "
            "the amount (expect to send an invoice or documentation)"
        )
        out.append(_finding(ClaimRule.CONTRACTOR_PRICED, WARNING, message, line, release=release))
    return out


def _noc_finding(
    line: Line, row: CodeRow, release: ReleaseRow, at: InForce, got: ClaimRows
) -> ClaimFinding | None:
    listed = at.schedules["noc"]
    advice = (
        "the claim needs a narrative description of what was furnished (item 19, or loop 2400 NTE)"
    )
    if listed is not None:
        noc = got.one("noc", listed.id, line.code)
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


def _not_checked(ctx: Context, line: Line, what: str, kind: str) -> ClaimFinding:
    message = (
        f"{what} not checked: no {kind} release is in force on {line.date} (loaded: "
        f"{_loaded_schedules(ctx, kind)})"
    )
    return _finding(ClaimRule.NOT_CHECKED, INFO, message, line)


def _whole(value: Exact) -> bool:
    return value == value.to_integral_value()


def _allowed(
    ctx: Context,
    per_unit: str,
    units: Exact,
    basis: AllowedBasis,
    detail: str,
    schedule: PaymentReleaseRow,
) -> AllowedAmount:
    total = _MONEY.quantize(_MONEY.multiply(Exact(per_unit), units), _CENT)
    return AllowedAmount(
        amount=Decimal(format(total.normalize(), "f")),
        per_unit=Decimal(per_unit),
        units=Decimal(format(units.normalize(), "f")),
        basis=basis,
        detail=detail,
        schedule=payment_release(ctx, schedule),
    )


def _payment_findings(
    ctx: Context, line: Line, at: InForce, got: ClaimRows, findings: list[ClaimFinding]
) -> AllowedAmount | None:
    """What the schedules in force say of the line (added to `findings`), and the amount
    allowed for it, if one prices it."""
    allowed = None
    units = line.units
    # the NDC: crosswalked to this code in the quarter, and its packages in whole units
    if line.ndc11 is not None:
        crosswalk = at.schedules["ndc"]
        if crosswalk is None:
            findings.append(_not_checked(ctx, line, f"NDC {line.ndc}", "ndc"))
        else:
            # the NDC's rows name every code it bills under: this one, or others
            rows = got.all("by_ndc", crosswalk.id, line.ndc11)
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
                findings.append(
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
                    findings.append(
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
    asp = at.schedules["asp"]
    price = None if asp is None else got.one("asp", asp.id, line.code)
    if asp is not None and price is not None and price.payment_limit is not None:
        allowed = _allowed(
            ctx, price.payment_limit, units, AllowedBasis.ASP_LIMIT, f"per {price.dosage}", asp
        )
    fee = _dmepos(ctx, line, at, got, units, findings)
    if allowed is None:
        allowed = fee
    if line.locality is not None and allowed is None:
        allowed = _physician(ctx, line, at, got, units, findings)
    if line.setting is _OUTPATIENT:
        _opps(ctx, line, at, got, findings)
    return allowed


def _dmepos(
    ctx: Context,
    line: Line,
    at: InForce,
    got: ClaimRows,
    units: Exact,
    findings: list[ClaimFinding],
) -> AllowedAmount | None:
    """The DMEPOS (or DMEPEN) fee for the line's pricing modifiers and state, if any."""
    index = got.dmepos(at, line.code)
    if index is None:
        return None
    # the pricing modifiers are those the schedule's rows use; others (KX, LT) do not price
    wanted = tuple(sorted(m for m in line.modifiers if m in index.pricing))
    matching = index.by_modifiers.get(wanted)
    schedule = index.first
    shown = "+".join(wanted) or "no pricing modifier"
    if matching is None:
        message = (
            f"{line.code} has no {schedule.kind.upper()} fee with {shown} in {schedule.id}; "
            f"its rows are priced with: {index.combos}"
        )
        findings.append(_finding(ClaimRule.DMEPOS_NO_FEE, ERROR, message, line, schedule=schedule))
        return None
    if line.state is None:
        message = f"{line.code}'s DMEPOS fee not checked: the line gives no state"
        findings.append(_finding(ClaimRule.NOT_CHECKED, INFO, message, line, schedule=schedule))
        return None
    release, row = matching
    fee = got.fee(row, line.state)
    if fee is None or Exact(fee) == 0:
        message = (
            f"{line.code} with {shown} has no {release.kind.upper()} fee in {line.state} in "
            f"{release.id}"
        )
        findings.append(_finding(ClaimRule.DMEPOS_NO_FEE, ERROR, message, line, schedule=release))
        return None
    detail = f"{line.state} non-rural, modifiers {shown}"
    return _allowed(ctx, fee, units, AllowedBasis.DMEPOS_FEE, detail, release)


def _physician(
    ctx: Context,
    line: Line,
    at: InForce,
    got: ClaimRows,
    units: Exact,
    findings: list[ClaimFinding],
) -> AllowedAmount | None:
    """The physician fee schedule amount at the line's locality, if one prices it."""
    assert line.locality is not None
    release = at.schedules["pfs"]
    if release is None:
        findings.append(_not_checked(ctx, line, "the physician fee", "pfs"))
        return None
    component = next((m for m in line.modifiers if m in ("26", "TC", "53")), "")
    row = next((r for r in got.all("pfs", release.id, line.code) if r.modifier == component), None)
    if row is None or row.status not in PAYABLE_STATUSES:
        return None
    place = next(
        (p for p in got.localities.get(release.id, []) if (p.mac, p.locality) == line.locality),
        None,
    )
    name = "-".join(line.locality)
    if place is None:
        message = f"the physician fee not computed: {name} is not a locality of {release.id}"
        findings.append(_finding(ClaimRule.NOT_CHECKED, INFO, message, line, schedule=release))
        return None
    facility = line.setting is not ClaimSetting.PROFESSIONAL
    pe, na = (row.facility_pe_rvu, row.facility_na) if facility else (
        row.nonfacility_pe_rvu, row.nonfacility_na
    )  # fmt: skip
    if na:
        return None
    gpcis = (place.work_gpci, place.pe_gpci, place.mp_gpci)
    per_unit = pfs_amount((row.work_rvu, pe, row.mp_rvu), gpcis, row.conversion_factor)
    detail = f"locality {name}, {'facility' if facility else 'non-facility'}"
    if component:
        detail += f", modifier {component}"
    return _allowed(ctx, per_unit, units, AllowedBasis.PHYSICIAN_FEE, detail, release)


def _opps(
    ctx: Context, line: Line, at: InForce, got: ClaimRows, findings: list[ClaimFinding]
) -> None:
    release = at.schedules["opps"]
    if release is None:
        findings.append(_not_checked(ctx, line, "the OPPS status indicator", "opps"))
        return
    row = got.one("opps", release.id, line.code)
    if row is None or row.status_indicator not in OPPS_NOT_PAID:
        return
    meaning = status_indicators(int(release.effective_from[:4])).get(row.status_indicator, "")
    message = (
        f"{line.code}'s OPPS status indicator is {row.status_indicator} in {release.id}: {meaning}"
    )
    severity = OPPS_NOT_PAID[row.status_indicator]
    findings.append(_finding(ClaimRule.OPPS_NOT_PAID, severity, message, line, schedule=release))


def _rank(finding: ClaimFinding) -> int:
    severity = finding.severity
    return 2 if severity is ERROR else 1 if severity is WARNING else 0


def _check(ctx: Context, line: Line, at: InForce, got: ClaimRows) -> ClaimLineCheck:
    catalog = ctx.catalog
    findings: list[ClaimFinding] = []
    code = None
    allowed = None
    release = at.release
    if release is None:
        first = catalog.releases[0]
        message = (
            f"the date of service {line.date} is before every loaded release (the earliest, "
            f"{first.id}, is effective from {first.effective_date}): nothing was checked; "
            f"loaded: {_loaded(catalog)}"
        )
        findings.append(_finding(ClaimRule.DATE_OUTSIDE_RELEASES, WARNING, message, line))
    else:
        if line.date > at.quarter_end:
            message = (
                f"the date of service {line.date} is in no loaded release's quarter: checked "
                f"against {release.id}, in force from {release.effective_date} (its quarter "
                f"ends {at.quarter_end}), whose codes may have changed since; loaded: "
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
            noc = _noc_finding(line, row, release, at, got)
            if noc is not None:
                findings.append(noc)
            allowed = _payment_findings(ctx, line, at, got, findings)
    worst = 0
    if findings:
        if len(findings) > 1:
            findings.sort(key=_rank, reverse=True)  # stable: errors, warnings, the rest
        worst = _rank(findings[0])
    check = _new(ClaimLineCheck)
    check.__dict__.update(
        line=line.number, verdict=_VERDICT[worst], code=code, findings=findings, allowed=allowed
    )
    return check


async def check_claim_lines(ctx: Context, given: Sequence[ClaimLineInput]) -> list[ClaimLineCheck]:
    lines = read_lines(given)
    found = in_force(ctx, {line.date for line in lines})
    got = await fetch(ctx, _wanted(lines, found))
    return [_check(ctx, line, found[line.date], got) for line in lines]
