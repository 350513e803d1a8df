"""What Medicare pays (issue 18): CMS's payment schedules, each a dated release, linked to
codes. A code's payment fields pick the schedule release by date from the catalog (no
query); the rows come through the request's loaders (schema/loaders.py).

Amounts and percentages are `Decimal` strings, exactly as stored (db/payments/values.py).
"""

from __future__ import annotations

import enum
import json
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from hcpcs_graph.db.catalog import Catalog, PaymentReleaseRow
from hcpcs_graph.db.fields import CodeRow
from hcpcs_graph.db.payments.dmepos_tables import CATEGORIES, JURISDICTIONS, STATES
from hcpcs_graph.db.payments.queries import AspRow, DmeposRow, NdcRow
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.scalars import Date, DateTime, Decimal
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.protocol import RequestContext as Context

if TYPE_CHECKING:
    # What mypy knows of a code. records.py imports this module (a code's `drugPricing`):
    # Strawberry finds HcpcsCode there when it builds the schema.
    from hcpcs_graph.schema.types.protocol import Record as HcpcsCode

# records.py imports this module: its HcpcsCode is named lazily
LazyHcpcsCode = Annotated["HcpcsCode", strawberry.lazy("hcpcs_graph.schema.types.records")]


@strawberry.enum(description="Which CMS payment schedule a release belongs to.")
class PaymentScheduleKind(enum.Enum):
    ASP_PRICING = strawberry.enum_value(
        "asp",
        description="The ASP pricing file: Medicare Part B drug payment allowance limits per "
        "HCPCS code, quarterly.",
    )
    NDC_CROSSWALK = strawberry.enum_value(
        "ndc",
        description="The ASP NDC-HCPCS crosswalk: which National Drug Codes bill under which "
        "HCPCS code, and how many billing units a package holds, quarterly.",
    )
    DMEPOS = strawberry.enum_value(
        "dmepos",
        description="The DMEPOS fee schedule: durable medical equipment, prosthetics, "
        "orthotics and supplies, fees per state.",
    )
    DMEPEN = strawberry.enum_value(
        "dmepen",
        description="The parenteral and enteral nutrition (PEN) fee schedule, fees per state.",
    )
    PHYSICIAN_FEE_SCHEDULE = strawberry.enum_value(
        "pfs",
        description="The physician fee schedule's relative value file, with its payment "
        "localities' geographic practice cost indices.",
    )
    CLINICAL_LAB_FEE_SCHEDULE = strawberry.enum_value(
        "clfs", description="The clinical laboratory fee schedule, quarterly."
    )
    ASC_PAYMENT = strawberry.enum_value(
        "asc",
        description="The ambulatory surgical center addenda AA and BB: payment indicators, "
        "weights and rates.",
    )
    NOC_CODE_LIST = strawberry.enum_value(
        "noc",
        description="CMS's list of HCPCS codes that are not otherwise classified (NOC): a "
        "claim billing one needs a narrative description of what was provided.",
    )
    OPPS_ADDENDUM_B = strawberry.enum_value(
        "opps",
        description="The hospital outpatient prospective payment system's Addendum B: status "
        "indicators, APCs, rates and copayments.",
    )


# pricing indicator -> the schedule kinds that price codes carrying it
_DMEPOS_INDICATORS = {str(n) for n in range(31, 47)}
INDICATOR_KINDS: dict[str, tuple[str, ...]] = {
    "51": ("asp", "ndc"),
    **dict.fromkeys(_DMEPOS_INDICATORS, ("dmepos", "dmepen")),
}
# issue 19: 11-13 are "Linked To The Physician Fee Schedule", 21-22 "Clinical Lab Fee
# Schedule" (db/codetables.py)
INDICATOR_KINDS |= {**dict.fromkeys(("11", "12", "13"), ("pfs",)), "21": ("clfs",), "22": ("clfs",)}


@strawberry.type(description="Rows of a payment file that were not stored, and why.")
class DroppedRows:
    reason: str = strawberry.field(
        description="CPT (AMA's codes: five digits, or four and a letter), CDT (ADA's dental "
        "codes, D and four digits) or other: only HCPCS Level II codes are served."
    )
    count: int = strawberry.field(description="How many rows of the file were dropped for it.")


@strawberry.type(
    description="One loaded release of a CMS payment schedule: the file, and the period "
    "its amounts apply to (dates of service)."
)
class PaymentRelease(Node):
    name: str = strawberry.field(
        description="The release's name: its kind and first month, e.g. asp-2025-01, "
        "ndc-2025-10, dmepos-2025-01."
    )
    kind: PaymentScheduleKind = strawberry.field(description="The schedule it belongs to.")
    title: str = strawberry.field(description="The file's own title rows, joined by ' / '.")
    effective_from: Date = strawberry.field(
        description="The first date of service its amounts apply to."
    )
    effective_through: Date | None = strawberry.field(
        description="The last date of service its amounts apply to; null when the file does "
        "not say: until the next loaded release of its schedule."
    )
    source_name: str = strawberry.field(description="The file it was loaded from.")
    source_format: str = strawberry.field(description="The file's format: csv, xls or xlsx.")
    sha256: str = strawberry.field(
        description="The SHA-256 of what was loaded (the ZIP, or the file), in hex."
    )
    loaded_at: DateTime = strawberry.field(description="When it was loaded.")
    row_count: int = strawberry.field(description="How many rows it holds (Level II codes).")
    code_count: int = strawberry.field(description="How many distinct HCPCS codes it prices.")
    dropped_rows: list[DroppedRows] = strawberry.field(
        description="Rows of the file not stored, by reason (CPT and CDT codes are not ours "
        "to serve); empty when none were."
    )


@strawberry.type(description="A DMEPOS jurisdiction: who processes claims for the item.")
class DmeposJurisdiction:
    code: str = strawberry.field(description="D, L or J, as the fee schedule writes it.")
    description: str = strawberry.field(description="What the code means, from CMS's DMEREAD.")


@strawberry.type(
    description="A DMEPOS payment category (CMS's DMEREAD), e.g. CR: capped rental items."
)
class DmeposCategory(Node):
    code: str = strawberry.field(description="The category's two letters, e.g. CR.")
    description: str = strawberry.field(description="What the category holds, from CMS's DMEREAD.")

    @strawberry.field(
        description="The HCPCS codes the DMEPOS fee schedule puts in this category, ordered "
        "by code: each as of the HCPCS release in force on the schedule's first day, else in "
        "its newest loaded release; a code no loaded HCPCS release has is left out."
    )
    async def codes(
        self,
        info: strawberry.Info,
        schedule: Annotated[
            str | None,
            strawberry.argument(
                description="A loaded DMEPOS release's name, e.g. dmepos-2025-01; the newest "
                "loaded DMEPOS release when omitted. Any other name is BAD_USER_INPUT."
            ),
        ] = None,
    ) -> list[LazyHcpcsCode]:
        ctx: Context = info.context
        release = named_schedule(ctx.catalog, schedule, "dmepos")
        if release is None:
            return []
        codes = await ctx.loaders.category_codes.load((release.id, self.code))
        return await schedule_codes(ctx, codes, release.effective_from)


@strawberry.type(description="The fee for one state (or territory), non-rural and rural.")
class DmeposStateFee:
    state: str = strawberry.field(description="The state's two letters, e.g. NY, PR, VI.")
    non_rural: Decimal = strawberry.field(
        description="The fee schedule amount in US dollars for a non-rural area (NR)."
    )
    rural: Decimal = strawberry.field(
        description="The fee schedule amount in US dollars for a rural area (R). CMS writes "
        "0 where the code has no rural amount (codes not adjusted with competitive bidding "
        "information, and the non-contiguous areas): there the non-rural amount applies."
    )


@strawberry.type(
    description="One row of the DMEPOS or DMEPEN fee schedule: a code with one combination "
    "of modifiers (e.g. NU new, RR rental, UE used), and its fee in each state."
)
class DmeposFee:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. E0100.")
    modifiers: list[str] = strawberry.field(
        description="The row's modifiers, 0 to 2, in the file's order: bill them with the "
        "code to be paid this fee."
    )
    jurisdiction: DmeposJurisdiction | None = strawberry.field(
        description="Who processes the claims; null in DMEPEN."
    )
    category: DmeposCategory | None = strawberry.field(
        description="The payment category; null in DMEPEN."
    )
    ceiling: Decimal | None = strawberry.field(
        description="The national ceiling in US dollars that state fees are capped at; null "
        "in DMEPEN. CMS writes 0 for items not priced by floor and ceiling."
    )
    floor: Decimal | None = strawberry.field(
        description="The national floor in US dollars; null in DMEPEN."
    )
    short_description: str = strawberry.field(description="The file's description of the row.")
    state_fees: list[DmeposStateFee] = strawberry.field(
        description="The fee in each state, in the file's order; only the state asked for "
        "when `dmeposFees(state:)` names one."
    )
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")


@strawberry.type(
    description="One row of the ASP pricing file: the most Medicare Part B pays for one "
    "billing unit (`dosage`) of a drug, for the release's period."
)
class DrugPricing:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. J9035.")
    short_description: str = strawberry.field(description="The file's short description.")
    dosage: str = strawberry.field(
        description="The amount of drug one billing unit stands for, e.g. 10 MG."
    )
    payment_limit: Decimal | None = strawberry.field(
        description="The payment allowance limit in US dollars per billing unit; null where "
        "CMS writes N/A."
    )
    coinsurance_percent: Decimal | None = strawberry.field(
        description="The patient's co-insurance, in percent of the payment (e.g. 20)."
    )
    vaccine_awp_percent: Decimal | None = strawberry.field(
        description="For a vaccine priced on average wholesale price: the percent of AWP paid."
    )
    vaccine_limit: Decimal | None = strawberry.field(
        description="For a vaccine: its payment limit in US dollars."
    )
    blood_awp_percent: Decimal | None = strawberry.field(
        description="For a blood product priced on AWP: the percent of AWP paid."
    )
    blood_limit: Decimal | None = strawberry.field(
        description="For a blood product: its payment limit in US dollars."
    )
    clotting_factor: bool = strawberry.field(
        description="A blood clotting factor (paid a furnishing fee besides the limit)."
    )
    notes: str | None = strawberry.field(description="CMS's note on the row, if any.")
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")


@strawberry.type(
    description="One row of the ASP NDC-HCPCS crosswalk: a drug package (NDC) and how it "
    "bills under a HCPCS code."
)
class NdcCrosswalkEntry:
    ndc: str = strawberry.field(
        description="The NDC as CMS writes it (5-4-2 with hyphens); for some products, such "
        "as skin substitutes, a manufacturer's product id instead."
    )
    ndc11: str | None = strawberry.field(
        description="The NDC's 11 digits without hyphens, as claims carry it; null when "
        "CMS's id is not an NDC."
    )
    hcpcs_code: str = strawberry.field(description="The HCPCS code it bills under.")
    short_description: str = strawberry.field(description="The code's short description.")
    labeler: str = strawberry.field(description="The labeler (manufacturer or distributor).")
    drug_name: str = strawberry.field(description="The drug's name on the package.")
    hcpcs_dosage: str = strawberry.field(
        description="The amount one billing unit of the HCPCS code stands for, e.g. 10 MG."
    )
    package_size: Decimal = strawberry.field(
        description="The amount in one item of the package, in the package's own unit."
    )
    package_quantity: Decimal = strawberry.field(description="How many items the package holds.")
    billing_units: Decimal = strawberry.field(
        description="Billing units of the HCPCS code in one item (package size over dosage)."
    )
    billing_units_per_package: Decimal = strawberry.field(
        description="Billing units of the HCPCS code in the whole package."
    )
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")
    effective_from: Private[str]

    @strawberry.field(
        description="The HCPCS code as of the HCPCS release in force on the crosswalk's first "
        "day, else in its newest loaded release (its `release` says which); null when no "
        "loaded release has it."
    )
    async def code(self, info: strawberry.Info) -> LazyHcpcsCode | None:
        ctx: Context = info.context
        [row] = await _code_rows(ctx, [self.hcpcs_code], self.effective_from)
        return None if row is None else _record(ctx, row)


def _record(ctx: Context, row: CodeRow) -> HcpcsCode:
    record: HcpcsCode = ctx.build.record(row)  # a code's row, never a modifier's
    return record


async def _code_rows(ctx: Context, codes: list[str], date: str) -> list[CodeRow | None]:
    """Each code in the HCPCS release in force on `date`, or else in its newest loaded
    release (a schedule may price a code its period's release lacks); None when none has it."""
    release = hcpcs_release_on(ctx.catalog, date)
    rows = await ctx.loaders.code.load_many([(release, False, c) for c in codes])
    missing = [c for c, row in zip(codes, rows, strict=True) if row is None]
    if not missing:
        return rows
    versions = dict(
        zip(
            missing, await ctx.loaders.history.load_many([(False, c) for c in missing]), strict=True
        )
    )
    return [
        row if row is not None else (versions[c][-1] if versions[c] else None)
        for c, row in zip(codes, rows, strict=True)
    ]


async def schedule_codes(ctx: Context, codes: list[str], date: str) -> list[HcpcsCode]:
    """A schedule's reverse list (issue 19's indicators, APCs): the codes as of the HCPCS
    release in force on `date`, else their newest; those no loaded release has left out."""
    rows = await _code_rows(ctx, codes, date)
    return [_record(ctx, row) for row in rows if row is not None]


# -- choosing releases, from the catalog alone


def hcpcs_release_on(catalog: Catalog, date: str) -> str:
    """The HCPCS release in force on `date`: the latest effective on or before it, else
    the newest."""
    in_force = [r.id for r in catalog.releases if r.effective_date <= date]
    newest = catalog.newest
    assert newest is not None  # a snapshot opens only on a file holding a release
    return in_force[-1] if in_force else newest


def schedule_for(
    catalog: Catalog, kind: str, default_date: str, as_of: str | None
) -> PaymentReleaseRow | None:
    """The release of `kind` for a code's payment field: with `as_of`, the one in force
    on it (or none); without, the one in force on the record's own date, else the latest."""
    if as_of is not None:
        return catalog.payment_in_force(kind, as_of)
    return catalog.payment_in_force(kind, default_date) or catalog.latest_payment(kind)


def named_schedule(catalog: Catalog, name: str | None, kind: str) -> PaymentReleaseRow | None:
    """The release named (any case; BAD_USER_INPUT when it is no loaded release of `kind`),
    else the newest of `kind` (None when none is loaded)."""
    if name is None:
        return catalog.latest_payment(kind)
    found = catalog.payment(name.strip().lower())
    if found is None or found.kind != kind:
        loaded = ", ".join(p.id for p in catalog.payments if p.kind == kind) or "none"
        raise UserInputError(
            f"{name!r} is not a loaded {kind} release; loaded: {loaded}", argument="schedule"
        )
    return found


# -- objects, built once per database file where they depend on it alone


def payment_release(ctx: Context, row: PaymentReleaseRow) -> PaymentRelease:
    key = ("payment_release", row.id)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = PaymentRelease(
            id=strawberry.ID(ids.node_id("PaymentRelease", row.id)),
            name=row.id,
            kind=PaymentScheduleKind(row.kind),
            title=row.title,
            effective_from=Date(row.effective_from),
            effective_through=None
            if row.effective_through is None
            else Date(row.effective_through),
            source_name=row.source_name,
            source_format=row.source_format,
            sha256=row.sha256,
            loaded_at=DateTime(row.loaded_at),
            row_count=row.row_count,
            code_count=row.code_count,
            dropped_rows=[DroppedRows(reason=r, count=n) for r, n in row.dropped.items()],
        )
    assert isinstance(found, PaymentRelease)
    return found


def payment_releases(ctx: Context, kinds: tuple[str, ...] | None = None) -> list[PaymentRelease]:
    """The loaded payment releases (of `kinds`), newest start first."""
    rows = [p for p in ctx.catalog.payments if kinds is None or p.kind in kinds]
    return [payment_release(ctx, p) for p in reversed(rows)]


def dmepos_category(ctx: Context, code: str) -> DmeposCategory:
    key = ("dmepos_category", code)
    found = ctx.cache.objects.get(key)
    if found is None:
        description = CATEGORIES.get(code, f"{code} (a category CMS's DMEREAD does not list)")
        found = ctx.cache.objects[key] = DmeposCategory(
            id=strawberry.ID(ids.node_id("DmeposCategory", code)),
            code=code,
            description=description,
        )
    assert isinstance(found, DmeposCategory)
    return found


def dmepos_categories(ctx: Context) -> list[DmeposCategory]:
    return [dmepos_category(ctx, code) for code in CATEGORIES]


def _jurisdiction(ctx: Context, code: str | None) -> DmeposJurisdiction | None:
    if code is None:
        return None
    key = ("dmepos_jurisdiction", code)
    found = ctx.cache.objects.get(key)
    if found is None:
        description = JURISDICTIONS.get(code, f"{code} (not in CMS's DMEREAD)")
        found = ctx.cache.objects[key] = DmeposJurisdiction(code=code, description=description)
    assert isinstance(found, DmeposJurisdiction)
    return found


def _state_fees(ctx: Context, row: DmeposRow) -> list[DmeposStateFee]:
    """A row's fees, decoded once per database file."""
    key = ("dmepos_state_fees", row.release, row.code, row.row)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = [
            DmeposStateFee(state=state, non_rural=Decimal(nr), rural=Decimal(r))
            for state, nr, r in json.loads(row.fees)
        ]
    assert isinstance(found, list)
    return found


def drug_pricing(ctx: Context, row: AspRow, schedule: PaymentRelease) -> DrugPricing:
    return DrugPricing(
        hcpcs_code=row.code,
        short_description=row.short_description,
        dosage=row.dosage,
        payment_limit=decimal_or_none(row.payment_limit),
        coinsurance_percent=decimal_or_none(row.coinsurance_percent),
        vaccine_awp_percent=decimal_or_none(row.vaccine_awp_percent),
        vaccine_limit=decimal_or_none(row.vaccine_limit),
        blood_awp_percent=decimal_or_none(row.blood_awp_percent),
        blood_limit=decimal_or_none(row.blood_limit),
        clotting_factor=bool(row.clotting_factor),
        notes=row.notes,
        schedule=schedule,
    )


def ndc_entry(row: NdcRow, schedule: PaymentRelease) -> NdcCrosswalkEntry:
    return NdcCrosswalkEntry(
        ndc=row.ndc,
        ndc11=row.ndc11,
        hcpcs_code=row.code,
        short_description=row.short_description,
        labeler=row.labeler,
        drug_name=row.drug_name,
        hcpcs_dosage=row.dosage,
        package_size=Decimal(row.package_size),
        package_quantity=Decimal(row.package_quantity),
        billing_units=Decimal(row.billing_units),
        billing_units_per_package=Decimal(row.billing_units_per_package),
        schedule=schedule,
        effective_from=schedule.effective_from,
    )


def decimal_or_none(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


# -- the fields on HcpcsCode and Query


async def code_drug_pricing(
    ctx: Context, code: str, default_date: str, as_of: str | None
) -> DrugPricing | None:
    release = schedule_for(ctx.catalog, "asp", default_date, as_of)
    if release is None:
        return None
    row = await ctx.loaders.drug_pricing.load((release.id, code))
    return None if row is None else drug_pricing(ctx, row, payment_release(ctx, release))


async def code_ndcs(
    ctx: Context, code: str, default_date: str, as_of: str | None
) -> list[NdcCrosswalkEntry]:
    release = schedule_for(ctx.catalog, "ndc", default_date, as_of)
    if release is None:
        return []
    rows = await ctx.loaders.ndcs.load((release.id, code))
    schedule = payment_release(ctx, release)
    return [ndc_entry(row, schedule) for row in rows]


async def ndc_lookup(ctx: Context, ndc11: str, as_of: str | None) -> list[NdcCrosswalkEntry]:
    """An NDC's crosswalk rows: in the crosswalk in force on `as_of`, else the newest."""
    catalog = ctx.catalog
    release = (
        catalog.latest_payment("ndc") if as_of is None else catalog.payment_in_force("ndc", as_of)
    )
    if release is None:
        return []
    rows = await ctx.loaders.ndc_rows.load((release.id, ndc11))
    schedule = payment_release(ctx, release)
    return [ndc_entry(row, schedule) for row in rows]


DMEPOS_KINDS = ("dmepos", "dmepen")  # DmeposFee rows come from both
MAX_MODIFIERS = 2  # a DMEPOS row carries two at most


def state_argument(state: str | None) -> str | None:
    if state is None:
        return None
    value = state.strip().upper()
    if value not in STATES:
        raise UserInputError(
            f"{state!r} is not a state of the DMEPOS fee schedule; give one of {', '.join(STATES)}",
            argument="state",
        )
    return value


def modifiers_argument(modifiers: list[str] | None) -> tuple[str, ...] | None:
    """The modifiers asked for, sorted (rows match them in any order)."""
    if modifiers is None:
        return None
    values = [m.strip().upper() for m in modifiers]
    bad = [m for m in modifiers if len(m.strip()) != 2]
    if bad or len(values) > MAX_MODIFIERS:
        raise UserInputError(
            f"modifiers are two characters each (e.g. NU, RR, KU), at most {MAX_MODIFIERS}; "
            f"got {modifiers!r}",
            argument="modifiers",
        )
    return tuple(sorted(values))


async def code_dmepos_fees(
    ctx: Context,
    code: str,
    default_date: str,
    as_of: str | None,
    state: str | None,
    modifiers: tuple[str, ...] | None,
) -> list[DmeposFee]:
    releases = [schedule_for(ctx.catalog, kind, default_date, as_of) for kind in DMEPOS_KINDS]
    chosen = [r for r in releases if r is not None]
    # one batch for both kinds: a statement per release, not one after the other
    found = await ctx.loaders.dmepos_fees.load_many([(r.id, code) for r in chosen])
    fees: list[DmeposFee] = []
    for release, rows in zip(chosen, found, strict=True):
        schedule = payment_release(ctx, release)
        for row in rows:
            row_modifiers = [m for m in (row.modifier, row.modifier2) if m]
            if modifiers is not None and tuple(sorted(row_modifiers)) != modifiers:
                continue
            state_fees = _state_fees(ctx, row)
            if state is not None:
                state_fees = [f for f in state_fees if f.state == state]
            fees.append(
                DmeposFee(
                    hcpcs_code=row.code,
                    modifiers=row_modifiers,
                    jurisdiction=_jurisdiction(ctx, row.jurisdiction),
                    category=None if row.category is None else dmepos_category(ctx, row.category),
                    ceiling=decimal_or_none(row.ceiling),
                    floor=decimal_or_none(row.floor),
                    short_description=row.short_description,
                    state_fees=state_fees,
                    schedule=schedule,
                )
            )
    return fees
