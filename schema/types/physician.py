"""What Medicare pays, part 2 (issue 19): the physician fee schedule (CMS's relative value
file, its GPCIs and localities) and the clinical laboratory fee schedule, linked to codes.

A physician fee is computed the standard way (RVU25A.pdf): [work RVU x work GPCI + PE RVU
x PE GPCI + MP RVU x MP GPCI] x conversion factor, in exact decimals, rounded to the cent
(half up) at the end only. Indicators are decoded from db/payments/pfs_tables.py and
clfs_tables.py; releases are chosen from the catalog as in schema/types/payments.py.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal as Exact
from typing import Annotated

import strawberry
from strawberry import Private

from hcpcs_graph.db.payments import pfs_tables
from hcpcs_graph.db.payments.clfs_tables import INDICATORS as LAB_INDICATORS
from hcpcs_graph.db.payments.pfs_queries import LabFeeRow, LocalityRow, PfsRow
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.scalars import Date, Decimal
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.payments import (
    LazyHcpcsCode,
    PaymentRelease,
    named_schedule,
    payment_release,
    schedule_codes,
    schedule_for,
)
from hcpcs_graph.schema.types.protocol import RequestContext as Context

PFS = "pfs"
CLFS = "clfs"

# Exact for any product of the file's numbers (at most ~10 significant digits each)
_EXACT = decimal.Context(prec=60, rounding=decimal.ROUND_HALF_UP)
_CENT = decimal.Decimal("0.01")
_LOCALITY = re.compile(r"(\d{5})-?(\d{2})")


@strawberry.type(description="A coded value of a fee schedule file, with CMS's meaning.")
class DecodedValue:
    code: str = strawberry.field(description="The value as the file writes it, e.g. XXX, 9, 01.")
    description: str | None = strawberry.field(
        description="What it means, in the words of CMS's documentation of the file; null for "
        "a value the documentation does not list."
    )


@strawberry.type(
    description="A physician fee schedule payment locality (a Medicare administrative "
    "contractor's area, e.g. 13202-01 Manhattan) and its geographic practice cost indices."
)
class Locality:
    id: str = strawberry.field(
        description="MAC and locality, e.g. 13202-01: what `payment(locality:)` takes."
    )
    mac: str = strawberry.field(
        description="The Medicare administrative contractor's number, 5 digits, e.g. 13202."
    )
    locality: str = strawberry.field(description="The locality number within it, 2 digits.")
    state: str = strawberry.field(description="The state's two letters, as GPCI2025 writes them.")
    name: str = strawberry.field(description="The locality's name, e.g. MANHATTAN.")
    counties: str | None = strawberry.field(
        description="The counties it covers (the locality/county crosswalk, 25LOCCO), e.g. "
        "ALL COUNTIES; null when the crosswalk does not list the locality."
    )
    work_gpci: Decimal = strawberry.field(
        description="The work geographic practice cost index (with CMS's 1.0 floor)."
    )
    pe_gpci: Decimal = strawberry.field(
        description="The practice expense geographic practice cost index."
    )
    malpractice_gpci: Decimal = strawberry.field(
        description="The malpractice (MP) geographic practice cost index."
    )
    anesthesia_conversion_factor: Decimal | None = strawberry.field(
        description="The locality's anesthesia conversion factor in US dollars (ANES2025); "
        "null when that file does not list the locality."
    )


@strawberry.type(
    description="The physician fee schedule amount of one row at one locality, in US "
    "dollars: [work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x conversion "
    "factor, computed exactly and rounded to the cent (half up) at the end. It is the "
    "participating amount before any adjustment (multiple procedure, bilateral, the OPPS "
    "cap on imaging, coinsurance)."
)
class PhysicianPayment:
    locality: Locality = strawberry.field(description="The locality it is computed for.")
    non_facility: Decimal | None = strawberry.field(
        description="The amount in a non-facility setting (an office, say), with the "
        "non-facility PE RVU; null where the file's NA indicator says non-facility PE RVUs do "
        "not apply (the service is rarely or never performed there)."
    )
    facility: Decimal | None = strawberry.field(
        description="The amount in a facility setting (a hospital, an ASC, a skilled nursing "
        "facility), with the facility PE RVU; null where the file's NA indicator says facility "
        "PE RVUs do not apply."
    )


@strawberry.type(
    description="A physician fee schedule status code (RVU25A Attachment A): whether a code "
    "is in the fee schedule and separately payable."
)
class PfsStatusCode(Node):
    code: str = strawberry.field(description="The status code, one letter, e.g. A.")
    description: str = strawberry.field(description="What it means, from CMS's documentation.")
    release_id: Private[str | None]  # the PFS release `codes` reads; None: none loaded

    @strawberry.field(
        description="The HCPCS codes with a row of this status in the physician fee schedule "
        "release it was reached from (else the newest loaded), ordered by code: each as of the "
        "HCPCS release in force on the schedule's first day, else in its newest loaded "
        "release; a code no loaded HCPCS release has is left out."
    )
    async def codes(self, info: strawberry.Info) -> list[LazyHcpcsCode]:
        ctx: Context = info.context
        release = None if self.release_id is None else ctx.catalog.payment(self.release_id)
        if release is None:
            return []
        codes = await ctx.loaders.pfs_status_codes.load((release.id, self.code))
        return await schedule_codes(ctx, codes, release.effective_from)


@strawberry.type(
    description="One row of the physician fee schedule's relative value file: a code alone, "
    "or with modifier 26 (professional component), TC (technical component) or 53 "
    "(discontinued procedure), with its relative value units (RVUs) and payment policy "
    "indicators."
)
class PhysicianFee:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. G0438.")
    modifier: str | None = strawberry.field(
        description="26, TC or 53; null for the code billed without a modifier (for a "
        "diagnostic test with components: the global service)."
    )
    description: str = strawberry.field(description="The file's description of the row.")
    status: PfsStatusCode = strawberry.field(
        description="Whether the code is in the fee schedule and separately payable. Only "
        "RVUs of status A, R and T are used for Medicare payment."
    )
    work_rvu: Decimal = strawberry.field(
        description="The relative value units for the physician work in the service."
    )
    non_facility_pe_rvu: Decimal = strawberry.field(
        description="The practice expense RVUs for the non-facility setting."
    )
    facility_pe_rvu: Decimal = strawberry.field(
        description="The practice expense RVUs for the facility setting."
    )
    malpractice_rvu: Decimal = strawberry.field(
        description="The malpractice expense RVUs for the service."
    )
    non_facility_total: Decimal = strawberry.field(
        description="Work, non-facility practice expense and malpractice RVUs summed, as the "
        "file gives it."
    )
    facility_total: Decimal = strawberry.field(
        description="Work, facility practice expense and malpractice RVUs summed, as the file "
        "gives it."
    )
    non_facility_pe_not_applicable: bool = strawberry.field(
        description="The file's NA indicator: the procedure is rarely or never performed in "
        "the non-facility setting (`payment`'s `nonFacility` is then null)."
    )
    facility_pe_not_applicable: bool = strawberry.field(
        description="The file's NA indicator: the procedure is rarely or never performed in "
        "the facility setting (`payment`'s `facility` is then null)."
    )
    global_days: DecodedValue = strawberry.field(
        description="The global surgery period: 000, 010, 090, MMM, XXX, YYY or ZZZ."
    )
    pc_tc: DecodedValue = strawberry.field(
        description="The PC/TC indicator: whether and how the code splits into professional "
        "and technical components."
    )
    multiple_procedure: DecodedValue = strawberry.field(
        description="The payment adjustment rule for multiple procedures (modifier 51)."
    )
    bilateral_surgery: DecodedValue = strawberry.field(
        description="The payment adjustment for bilateral procedures (modifier 50)."
    )
    assistant_at_surgery: DecodedValue = strawberry.field(
        description="Whether an assistant at surgery may be paid."
    )
    co_surgeons: DecodedValue = strawberry.field(
        description="Whether two surgeons of different specialties may be paid (modifier 62)."
    )
    team_surgery: DecodedValue = strawberry.field(
        description="Whether team surgeons may be paid (modifier 66)."
    )
    physician_supervision: DecodedValue | None = strawberry.field(
        description="The physician supervision of diagnostic procedures (for post-payment "
        "review); null when the row has none."
    )
    endoscopic_base: str | None = strawberry.field(
        description="The endoscopic base code of a code with multiple procedure indicator 3; "
        "null for the others."
    )
    conversion_factor: Decimal = strawberry.field(
        description="The conversion factor in US dollars per RVU that turns relative values "
        "into payment amounts."
    )
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")
    row: Private[PfsRow]

    @strawberry.field(
        description="The fee schedule amounts of this row at one locality; null when its "
        "status is not one whose RVUs Medicare pays with (A, R, T), or when it has no RVUs "
        "(status R without them: the contractor prices it)."
    )
    async def payment(
        self,
        info: strawberry.Info,
        locality: Annotated[
            str,
            strawberry.argument(
                description="The locality: MAC and locality number, e.g. 13202-01 (a "
                "`Locality`'s `id`; `localities` lists them). One the release does not have "
                "is BAD_USER_INPUT."
            ),
        ],
    ) -> PhysicianPayment | None:
        ctx: Context = info.context
        found = await _locality(ctx, self.row.release, locality)
        if self.row.status not in pfs_tables.PAYABLE_STATUSES:
            return None
        row = self.row
        if not any(
            Exact(v)
            for v in (row.work_rvu, row.nonfacility_pe_rvu, row.facility_pe_rvu, row.mp_rvu)
        ):
            return None  # RVU25A: R "if covered, the service is contractor priced"
        return physician_payment(self.row, found)


@strawberry.type(
    description="One row of the clinical laboratory fee schedule: a code alone, or with "
    "modifier QW (a CLIA waived test), and its national payment rate."
)
class LabFee:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. G0103.")
    modifier: str | None = strawberry.field(
        description="QW for a CLIA waived test; null for the code without a modifier."
    )
    rate: Decimal = strawberry.field(
        description="The payment rate in US dollars (0 where the code is priced locally)."
    )
    indicator: DecodedValue = strawberry.field(
        description="The file's pricing indicator: N (national) or L (local)."
    )
    effective_date: Date = strawberry.field(
        description="The date the row's rate is effective from, as the file gives it."
    )
    short_description: str = strawberry.field(description="The file's short description.")
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")


# -- decoding and computing


def _decoded(ctx: Context, table: str, values: dict[str, str], code: str) -> DecodedValue:
    key = ("pfs_decoded", table, code)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = DecodedValue(code=code, description=values.get(code))
    assert isinstance(found, DecodedValue)
    return found


def pfs_status_code(ctx: Context, code: str, release_id: str | None) -> PfsStatusCode:
    key = ("pfs_status_code", release_id, code)
    found = ctx.cache.objects.get(key)
    if found is None:
        description = pfs_tables.STATUS_CODES.get(
            code, f"{code} (a status code RVU25A's Attachment A does not list)"
        )
        found = ctx.cache.objects[key] = PfsStatusCode(
            id=strawberry.ID(ids.node_id("PfsStatusCode", release_id or "", code)),
            code=code,
            description=description,
            release_id=release_id,
        )
    assert isinstance(found, PfsStatusCode)
    return found


def locality(ctx: Context, row: LocalityRow) -> Locality:
    key = ("pfs_locality", row.release, row.mac, row.locality)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = Locality(
            id=f"{row.mac}-{row.locality}",
            mac=row.mac,
            locality=row.locality,
            state=row.state,
            name=row.name,
            counties=row.counties,
            work_gpci=Decimal(row.work_gpci),
            pe_gpci=Decimal(row.pe_gpci),
            malpractice_gpci=Decimal(row.mp_gpci),
            anesthesia_conversion_factor=None
            if row.anesthesia_cf is None
            else Decimal(row.anesthesia_cf),
        )
    assert isinstance(found, Locality)
    return found


async def _locality(ctx: Context, release: str, value: str) -> Locality:
    """The locality `value` names in the release; BAD_USER_INPUT for any other."""
    match = _LOCALITY.fullmatch(value.strip())
    rows = await ctx.loaders.localities.load(release) if match else []
    wanted = match.groups() if match else None
    found = next((r for r in rows if (r.mac, r.locality) == wanted), None)
    if found is None:
        raise UserInputError(
            f"{value!r} is not a payment locality of {release}: give MAC and locality, e.g. "
            "13202-01 (`localities` lists them)",
            argument="locality",
        )
    return locality(ctx, found)


def amount(rvus: tuple[str, str, str], gpcis: tuple[str, str, str], factor: str) -> str:
    """[work RVU x work GPCI + PE RVU x PE GPCI + MP RVU x MP GPCI] x conversion factor,
    exact, then rounded to the cent half up; as decimal text in its shortest form."""
    d = decimal.Decimal
    with decimal.localcontext(_EXACT):
        total = sum((d(r) * d(g) for r, g in zip(rvus, gpcis, strict=True)), d(0)) * d(factor)
        cents = total.quantize(_CENT, rounding=decimal.ROUND_HALF_UP)
    text = format(cents.normalize(), "f")
    return "0" if text in ("-0", "") else text


def physician_payment(row: PfsRow, place: Locality) -> PhysicianPayment:
    gpcis = (place.work_gpci, place.pe_gpci, place.malpractice_gpci)

    def at(pe_rvu: str, not_applicable: str | None) -> Decimal | None:
        if not_applicable:
            return None
        return Decimal(amount((row.work_rvu, pe_rvu, row.mp_rvu), gpcis, row.conversion_factor))

    return PhysicianPayment(
        locality=place,
        non_facility=at(row.nonfacility_pe_rvu, row.nonfacility_na),
        facility=at(row.facility_pe_rvu, row.facility_na),
    )


def physician_fee(ctx: Context, row: PfsRow, schedule: PaymentRelease) -> PhysicianFee:
    return PhysicianFee(
        hcpcs_code=row.code,
        modifier=row.modifier or None,
        description=row.description,
        status=pfs_status_code(ctx, row.status, row.release),
        work_rvu=Decimal(row.work_rvu),
        non_facility_pe_rvu=Decimal(row.nonfacility_pe_rvu),
        facility_pe_rvu=Decimal(row.facility_pe_rvu),
        malpractice_rvu=Decimal(row.mp_rvu),
        non_facility_total=Decimal(row.nonfacility_total),
        facility_total=Decimal(row.facility_total),
        non_facility_pe_not_applicable=bool(row.nonfacility_na),
        facility_pe_not_applicable=bool(row.facility_na),
        global_days=_decoded(ctx, "global", pfs_tables.GLOBAL_DAYS, row.global_days),
        pc_tc=_decoded(ctx, "pctc", pfs_tables.PCTC, row.pctc),
        multiple_procedure=_decoded(ctx, "mult", pfs_tables.MULTIPLE_PROCEDURE, row.mult_proc),
        bilateral_surgery=_decoded(ctx, "bilat", pfs_tables.BILATERAL_SURGERY, row.bilat_surg),
        assistant_at_surgery=_decoded(ctx, "asst", pfs_tables.ASSISTANT_AT_SURGERY, row.asst_surg),
        co_surgeons=_decoded(ctx, "co", pfs_tables.CO_SURGEONS, row.co_surg),
        team_surgery=_decoded(ctx, "team", pfs_tables.TEAM_SURGERY, row.team_surg),
        physician_supervision=None
        if row.supervision is None
        else _decoded(ctx, "supervision", pfs_tables.SUPERVISION, row.supervision),
        endoscopic_base=row.endo_base,
        conversion_factor=Decimal(row.conversion_factor),
        schedule=schedule,
        row=row,
    )


def lab_fee(ctx: Context, row: LabFeeRow, schedule: PaymentRelease) -> LabFee:
    return LabFee(
        hcpcs_code=row.code,
        modifier=row.modifier or None,
        rate=Decimal(row.rate),
        indicator=_decoded(ctx, "clfs", LAB_INDICATORS, row.indicator),
        effective_date=Date(row.effective_date),
        short_description=row.short_description,
        schedule=schedule,
    )


# -- the fields on HcpcsCode and Query

PfsModifier = Annotated[
    str | None,
    strawberry.argument(
        description="Only the row billed with this modifier: 26, TC or 53 (case is ignored); "
        '"" for the row without a modifier. Every row of the code when omitted.'
    ),
]


async def code_physician_fees(
    ctx: Context, code: str, default_date: str, as_of: str | None, modifier: str | None
) -> list[PhysicianFee]:
    release = schedule_for(ctx.catalog, PFS, default_date, as_of)
    if release is None:
        return []
    rows = await ctx.loaders.physician_fees.load((release.id, code))
    if modifier is not None:
        rows = [r for r in rows if r.modifier == modifier.strip().upper()]
    schedule = payment_release(ctx, release)
    return [physician_fee(ctx, row, schedule) for row in rows]


async def code_lab_fees(
    ctx: Context, code: str, default_date: str, as_of: str | None
) -> list[LabFee]:
    release = schedule_for(ctx.catalog, CLFS, default_date, as_of)
    if release is None:
        return []
    rows = await ctx.loaders.lab_fees.load((release.id, code))
    schedule = payment_release(ctx, release)
    return [lab_fee(ctx, row, schedule) for row in rows]


async def localities(ctx: Context, schedule: str | None) -> list[Locality]:
    """The localities of the named PFS release, else of the newest loaded."""
    release = named_schedule(ctx.catalog, schedule, PFS)
    if release is None:
        return []
    rows = await ctx.loaders.localities.load(release.id)
    return [locality(ctx, row) for row in rows]


def pfs_status_codes(ctx: Context) -> list[PfsStatusCode]:
    """Attachment A's status codes; their `codes` read the newest loaded PFS release."""
    latest = ctx.catalog.latest_payment(PFS)
    release_id = None if latest is None else latest.id
    return [pfs_status_code(ctx, code, release_id) for code in pfs_tables.STATUS_CODES]


def pfs_status_code_named(ctx: Context, code: str) -> PfsStatusCode | None:
    value = code.strip().upper()
    if value not in pfs_tables.STATUS_CODES:
        return None
    latest = ctx.catalog.latest_payment(PFS)
    return pfs_status_code(ctx, value, None if latest is None else latest.id)
