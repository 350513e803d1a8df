"""What Medicare pays a facility (issue 19): the ASC payment addenda (AA, BB, DD1) and the
hospital outpatient prospective payment system's Addendum B, on issue 18's framework
(schema/types/payments.py): a code's fields pick the schedule release by date from the
catalog, rows come through the request's loaders (schema/loaders.py).

Status and payment indicators and APCs are decoded values with their codes listed back;
`paymentChanges` compares two releases of one schedule code by code.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal as Exact
from typing import TYPE_CHECKING, Annotated, Any

import strawberry
from strawberry import Private

from hcpcs_graph.db.catalog import PaymentReleaseRow
from hcpcs_graph.db.payments import facility_queries
from hcpcs_graph.db.payments.facility_queries import AscRow, OppsRow
from hcpcs_graph.db.payments.opps_tables import status_indicators
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.scalars import Decimal
from hcpcs_graph.schema.types.connection import DEFAULT_FIRST, MAX_FIRST, Connection, ListSource
from hcpcs_graph.schema.types.connection import check_first as _check_first
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.payments import (
    LazyHcpcsCode,
    PaymentRelease,
    decimal_or_none,
    named_schedule,
    payment_release,
    schedule_codes,
    schedule_for,
)
from hcpcs_graph.schema.types.protocol import RequestContext as Context

if TYPE_CHECKING:
    from hcpcs_graph.schema.types.protocol import Record as HcpcsCode

ASC, OPPS = "asc", "opps"  # the schedule kinds (db/payments/kinds.py)
ASC_SCHEME = "asc"  # payment_indicators.scheme of the ASC ZIP's Addendum DD1

FIRST_CODES = (
    f"How many codes to list: at most {MAX_FIRST}; {DEFAULT_FIRST} when omitted. Outside 1 "
    f"to {MAX_FIRST} is BAD_USER_INPUT."
)
AFTER_CODE = (
    "List the codes after this one (in code order): the last code of the previous page. "
    "From the first code when omitted."
)
FirstCodes = Annotated[int | None, strawberry.argument(description=FIRST_CODES)]
AfterCode = Annotated[str | None, strawberry.argument(description=AFTER_CODE)]


def _after(after: str | None) -> str | None:
    return None if after is None else after.strip().upper()


async def _indicator_codes(
    info: strawberry.Info,
    table: str,
    release: str,
    indicator: str,
    date: str,
    first: int | None,
    after: str | None,
) -> list[HcpcsCode]:
    ctx: Context = info.context
    key = (table, release, indicator, _after(after), _check_first(first))
    codes = await ctx.loaders.indicator_codes.load(key)
    return await schedule_codes(ctx, codes, date)


_CODES = (
    "The HCPCS codes {what}, ordered by code, a page at a time: each as of the HCPCS release "
    "in force on the schedule's first day, else in its newest loaded release; a code no "
    "loaded HCPCS release has is left out (a page may then hold fewer than `first`)."
)


@strawberry.type(
    description="An OPPS payment status indicator (the SI column of Addendum B): how the "
    "hospital outpatient prospective payment system pays a code, e.g. K: nonpass-through "
    "drugs and biologicals, paid through a separate APC."
)
class OppsStatusIndicator(Node):
    code: str = strawberry.field(description="The indicator, e.g. K, J1, Q4.")
    description: str | None = strawberry.field(
        description="What it means and how the OPPS pays codes carrying it, from Addendum D1 "
        "of the schedule's year's OPPS final rule (written out from CMS's definitions); null "
        "for an indicator D1 does not define."
    )
    schedule: PaymentRelease = strawberry.field(
        description="The Addendum B release it was read in."
    )
    effective_from: Private[str]

    @strawberry.field(description=_CODES.format(what="Addendum B gives this status indicator"))
    async def codes(
        self, info: strawberry.Info, first: FirstCodes = None, after: AfterCode = None
    ) -> list[LazyHcpcsCode]:
        return await _indicator_codes(
            info, "opps_payments", self.schedule.name, self.code, self.effective_from,
            first, after,
        )  # fmt: skip


@strawberry.type(
    description="An ASC payment indicator (Addendum DD1 of the ASC addenda): how Medicare "
    "pays an ambulatory surgical center for a code, e.g. G2, K2, N1."
)
class AscPaymentIndicator(Node):
    code: str = strawberry.field(description="The indicator, e.g. A2, J8, N1.")
    description: str | None = strawberry.field(
        description="What it means, as the release's Addendum DD1 writes it; null for an "
        "indicator DD1 does not list."
    )
    schedule: PaymentRelease = strawberry.field(description="The ASC release it was read in.")
    effective_from: Private[str]

    @strawberry.field(description=_CODES.format(what="the ASC addenda give this indicator"))
    async def codes(
        self, info: strawberry.Info, first: FirstCodes = None, after: AfterCode = None
    ) -> list[LazyHcpcsCode]:
        return await _indicator_codes(
            info, "asc_payments", self.schedule.name, self.code, self.effective_from,
            first, after,
        )  # fmt: skip


@strawberry.type(
    description="An ambulatory payment classification (APC): a group of hospital outpatient "
    "services the OPPS pays one rate for."
)
class Apc(Node):
    code: str = strawberry.field(description="The APC's number as Addendum B writes it, e.g. 5691.")
    schedule: PaymentRelease = strawberry.field(
        description="The Addendum B release it was read in."
    )
    effective_from: Private[str]

    async def _rows(self, info: strawberry.Info) -> list[OppsRow]:
        ctx: Context = info.context
        rows: list[OppsRow] = await ctx.loaders.apc_rows.load((self.schedule.name, self.code))
        return rows

    @strawberry.field(
        description="The Level II codes Addendum B puts in this APC, ordered by code: each as "
        "of the HCPCS release in force on the schedule's first day, else in its newest "
        "loaded release."
    )
    async def codes(self, info: strawberry.Info) -> list[LazyHcpcsCode]:
        rows = await self._rows(info)
        return await schedule_codes(info.context, [r.code for r in rows], self.effective_from)

    @strawberry.field(
        description="The APC's national payment rate in US dollars, as its codes' rows give "
        "it; null when they give none, or differ."
    )
    async def payment_rate(self, info: strawberry.Info) -> Decimal | None:
        rates = {r.payment_rate for r in await self._rows(info) if r.payment_rate is not None}
        return Decimal(rates.pop()) if len(rates) == 1 else None


@strawberry.type(
    description="A code's row in the ASC addenda: what Medicare pays an ambulatory surgical "
    "center for it, nationally, for the release's period."
)
class AscPayment:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. G0105.")
    addendum: str = strawberry.field(
        description="AA (covered surgical procedures) or BB (covered ancillary items and "
        "services integral to a covered surgical procedure)."
    )
    short_description: str = strawberry.field(description="The addendum's short descriptor.")
    payment_indicator: AscPaymentIndicator = strawberry.field(
        description="How the ASC is paid for it, decoded from Addendum DD1."
    )
    payment_weight: Decimal | None = strawberry.field(
        description="The ASC payment weight; null where the addendum gives none (e.g. "
        "packaged items)."
    )
    payment_rate: Decimal | None = strawberry.field(
        description="The national unadjusted ASC payment rate in US dollars; null where the "
        "addendum gives none."
    )
    subject_to_multiple_procedure_discounting: bool | None = strawberry.field(
        description="Addendum AA: whether the procedure is subject to multiple procedure "
        "discounting; null for Addendum BB's items."
    )
    pass_through_expiration: str | None = strawberry.field(
        description="Addendum BB: when the drug's or device's pass-through status expires "
        "during the year, as CMS writes it; null when it does not."
    )
    adjusted_copayment: Decimal | None = strawberry.field(
        description="Addendum BB: the copayment in US dollars as adjusted under the "
        "Inflation Reduction Act (IRA) for Part B rebatable drugs; null when not adjusted."
    )
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")


@strawberry.type(
    description="A code's row in OPPS Addendum B: how the hospital outpatient prospective "
    "payment system pays for it, nationally, for the release's period."
)
class OutpatientPayment:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. J9035.")
    short_description: str = strawberry.field(description="Addendum B's short descriptor.")
    status_indicator: OppsStatusIndicator = strawberry.field(
        description="The payment status indicator (SI), decoded."
    )
    apc: Apc | None = strawberry.field(
        description="The APC it is paid through; null when it has none (e.g. packaged or "
        "not paid under the OPPS)."
    )
    relative_weight: Decimal | None = strawberry.field(
        description="The APC's relative weight; null where Addendum B gives none."
    )
    payment_rate: Decimal | None = strawberry.field(
        description="The national unadjusted payment rate in US dollars; null where "
        "Addendum B gives none."
    )
    national_unadjusted_copayment: Decimal | None = strawberry.field(
        description="The national unadjusted copayment in US dollars; null where Addendum B "
        "gives none. Actual copayments may be lower (capped at the inpatient deductible)."
    )
    minimum_unadjusted_copayment: Decimal | None = strawberry.field(
        description="The minimum unadjusted copayment in US dollars (20% of the payment "
        "rate); null where Addendum B gives none."
    )
    changed: bool = strawberry.field(
        description="Whether Addendum B marks the row as changed (its '* Indicates a Change' "
        "column) since the previous release."
    )
    schedule: PaymentRelease = strawberry.field(description="The release the row comes from.")


# -- decoded values, built once per database file where they depend on it alone


def opps_status_indicator(
    ctx: Context, release: PaymentReleaseRow, code: str
) -> OppsStatusIndicator:
    key = ("opps_status_indicator", release.id, code)
    found = ctx.cache.objects.get(key)
    if found is None:
        meanings = status_indicators(int(release.effective_from[:4]))
        found = ctx.cache.objects[key] = OppsStatusIndicator(
            id=strawberry.ID(ids.node_id("OppsStatusIndicator", release.id, code)),
            code=code,
            description=meanings.get(code),
            schedule=payment_release(ctx, release),
            effective_from=release.effective_from,
        )
    assert isinstance(found, OppsStatusIndicator)
    return found


def _asc_indicator(
    ctx: Context, release: PaymentReleaseRow, code: str, meanings: dict[str, str]
) -> AscPaymentIndicator:
    key = ("asc_payment_indicator", release.id, code)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = AscPaymentIndicator(
            id=strawberry.ID(ids.node_id("AscPaymentIndicator", release.id, code)),
            code=code,
            description=meanings.get(code),
            schedule=payment_release(ctx, release),
            effective_from=release.effective_from,
        )
    assert isinstance(found, AscPaymentIndicator)
    return found


def apc(ctx: Context, release: PaymentReleaseRow, code: str) -> Apc:
    key = ("apc", release.id, code)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = Apc(
            id=strawberry.ID(ids.node_id("Apc", release.id, code)),
            code=code,
            schedule=payment_release(ctx, release),
            effective_from=release.effective_from,
        )
    assert isinstance(found, Apc)
    return found


async def _asc_meanings(ctx: Context, release: PaymentReleaseRow) -> dict[str, str]:
    meanings: dict[str, str] = await ctx.loaders.indicator_meanings.load((release.id, ASC_SCHEME))
    return meanings


def asc_payment(
    ctx: Context, release: PaymentReleaseRow, row: AscRow, meanings: dict[str, str]
) -> AscPayment:
    discounting = row.multiple_procedure_discounting
    return AscPayment(
        hcpcs_code=row.code,
        addendum=row.addendum,
        short_description=row.short_description,
        payment_indicator=_asc_indicator(ctx, release, row.payment_indicator, meanings),
        payment_weight=decimal_or_none(row.payment_weight),
        payment_rate=decimal_or_none(row.payment_rate),
        subject_to_multiple_procedure_discounting=None
        if discounting is None
        else discounting == "Y",
        pass_through_expiration=row.pass_through_expiration,
        adjusted_copayment=decimal_or_none(row.adjusted_copayment),
        schedule=payment_release(ctx, release),
    )


def outpatient_payment(ctx: Context, release: PaymentReleaseRow, row: OppsRow) -> OutpatientPayment:
    return OutpatientPayment(
        hcpcs_code=row.code,
        short_description=row.short_description,
        status_indicator=opps_status_indicator(ctx, release, row.status_indicator),
        apc=None if row.apc is None else apc(ctx, release, row.apc),
        relative_weight=decimal_or_none(row.relative_weight),
        payment_rate=decimal_or_none(row.payment_rate),
        national_unadjusted_copayment=decimal_or_none(row.national_copayment),
        minimum_unadjusted_copayment=decimal_or_none(row.minimum_copayment),
        changed=bool(row.changed),
        schedule=payment_release(ctx, release),
    )


# -- the fields on HcpcsCode


async def code_asc_payment(
    ctx: Context, code: str, default_date: str, as_of: str | None
) -> AscPayment | None:
    release = schedule_for(ctx.catalog, ASC, default_date, as_of)
    if release is None:
        return None
    row: AscRow | None = await ctx.loaders.asc_payment.load((release.id, code))
    if row is None:
        return None
    return asc_payment(ctx, release, row, await _asc_meanings(ctx, release))


async def code_outpatient_payment(
    ctx: Context, code: str, default_date: str, as_of: str | None
) -> OutpatientPayment | None:
    release = schedule_for(ctx.catalog, OPPS, default_date, as_of)
    if release is None:
        return None
    row: OppsRow | None = await ctx.loaders.outpatient_payment.load((release.id, code))
    return None if row is None else outpatient_payment(ctx, release, row)


# -- the fields on Query


def opps_status_indicators(ctx: Context, schedule: str | None) -> list[OppsStatusIndicator]:
    release = named_schedule(ctx.catalog, schedule, OPPS)
    if release is None:
        return []
    meanings = status_indicators(int(release.effective_from[:4]))
    return [opps_status_indicator(ctx, release, code) for code in meanings]


def one_opps_status_indicator(
    ctx: Context, code: str, schedule: str | None
) -> OppsStatusIndicator | None:
    release = named_schedule(ctx.catalog, schedule, OPPS)
    value = code.strip().upper()
    if release is None or value not in status_indicators(int(release.effective_from[:4])):
        return None
    return opps_status_indicator(ctx, release, value)


async def asc_payment_indicators(ctx: Context, schedule: str | None) -> list[AscPaymentIndicator]:
    release = named_schedule(ctx.catalog, schedule, ASC)
    if release is None:
        return []
    meanings = await _asc_meanings(ctx, release)
    return [_asc_indicator(ctx, release, code, meanings) for code in sorted(meanings)]


async def one_apc(ctx: Context, code: str, schedule: str | None) -> Apc | None:
    release = named_schedule(ctx.catalog, schedule, OPPS)
    if release is None:
        return None
    value = code.strip()
    if not await ctx.loaders.apc_rows.load((release.id, value)):
        return None
    return apc(ctx, release, value)


# -- payment changes between two releases of one schedule


@strawberry.enum(description="How a code's payment changed between two releases of a schedule.")
class PaymentChangeKind(enum.Enum):
    ADDED = strawberry.enum_value(
        "ADDED", description="In the later release, not in the earlier one."
    )
    REMOVED = strawberry.enum_value(
        "REMOVED", description="In the earlier release, not in the later one."
    )
    INDICATOR_CHANGED = strawberry.enum_value(
        "INDICATOR_CHANGED",
        description="In both, with another indicator (OPPS status indicator, ASC payment "
        "indicator); its rate may have changed too.",
    )
    RATE_UP = strawberry.enum_value(
        "RATE_UP",
        description="Same indicator, a higher payment rate (or a rate where there was none).",
    )
    RATE_DOWN = strawberry.enum_value(
        "RATE_DOWN",
        description="Same indicator, a lower payment rate (or no rate where there was one).",
    )


SchedulePayment = Annotated[
    AscPayment | OutpatientPayment,
    strawberry.union(
        "SchedulePayment", description="A code's row in a payment schedule that has one per code."
    ),
]


@strawberry.type(description="How one code's payment changed between two schedule releases.")
class PaymentChange:
    hcpcs_code: str = strawberry.field(description="The HCPCS code, e.g. J9035.")
    kind: PaymentChangeKind = strawberry.field(description="What changed.")
    before: SchedulePayment | None = strawberry.field(
        description="The code's row in `from`; null when ADDED."
    )
    after: SchedulePayment | None = strawberry.field(
        description="The code's row in `to`; null when REMOVED."
    )
    rate_difference: Decimal | None = strawberry.field(
        description="The later payment rate less the earlier, in US dollars; null unless both "
        "releases give a rate."
    )
    from_schedule: PaymentRelease = strawberry.field(description="The earlier release (`from`).")
    to_schedule: PaymentRelease = strawberry.field(description="The later release (`to`).")


Row = AscRow | OppsRow


@dataclass(frozen=True, slots=True)
class _Compared:
    code: str
    kind: str  # a PaymentChangeKind value
    before: Row | None
    after: Row | None


def _indicator(row: Row) -> str:
    return row.payment_indicator if isinstance(row, AscRow) else row.status_indicator


def _rate(row: Row) -> Exact | None:
    return None if row.payment_rate is None else Exact(row.payment_rate)


def _kind(before: Row, after: Row) -> str | None:
    if _indicator(before) != _indicator(after):
        return "INDICATOR_CHANGED"
    old, new = _rate(before), _rate(after)
    if old == new:
        return None
    if old is None or (new is not None and new > old):
        return "RATE_UP"
    return "RATE_DOWN"


def compare(before: Sequence[Row], after: Sequence[Row]) -> list[_Compared]:
    """Every code whose payment changed, by code."""
    old = {r.code: r for r in before}
    new = {r.code: r for r in after}
    found = []
    for code in sorted(old.keys() | new.keys()):
        was, now = old.get(code), new.get(code)
        if was is None:
            kind: str | None = "ADDED"
        elif now is None:
            kind = "REMOVED"
        else:
            kind = _kind(was, now)
        if kind is not None:
            found.append(_Compared(code, kind, was, now))
    return found


# the kinds `paymentChanges` compares, and how each reads a whole release
_READERS: dict[str, Callable[[Any, str], Awaitable[Sequence[Row]]]] = {
    ASC: facility_queries.all_asc_rows,
    OPPS: facility_queries.all_opps_rows,
}


def _release_argument(ctx: Context, name: str, argument: str) -> PaymentReleaseRow:
    found = ctx.catalog.payment(name.strip().lower())
    if found is None or found.kind not in _READERS:
        loaded = ", ".join(p.id for p in ctx.catalog.payments if p.kind in _READERS) or "none"
        raise UserInputError(
            f"{name!r} is not a loaded release of a schedule paymentChanges compares "
            f"({', '.join(_READERS)}); loaded: {loaded}",
            argument=argument,
        )
    return found


async def _compared(ctx: Context, old: str, new: str, kind: str) -> list[_Compared]:
    """The comparison, kept per database file while the diff cache has room (bounded in
    bytes like release diffs: a client walking every pair of releases cannot fill memory)."""
    cache = ctx.cache.payment_diffs
    if cache is None:
        size = ctx.diff_cache_bytes
        cache = ctx.cache.payment_diffs = BoundedCache(size, largest=size // 2)
    found: list[_Compared] | None = cache.get((old, new))
    if found is None:
        read = _READERS[kind]
        found = compare(await read(ctx, old), await read(ctx, new))
        cache.put((old, new), found, 600 * len(found))  # ~600 bytes a change: two rows
    return found


def payment_changes(
    ctx: Context,
    from_: str,
    to: str,
    kinds: list[PaymentChangeKind] | None,
    first: int | None,
    after: str | None,
) -> Connection[PaymentChange]:
    old = _release_argument(ctx, from_, "from")
    new = _release_argument(ctx, to, "to")
    if old.kind != new.kind:
        raise UserInputError(
            f"{old.id} and {new.id} are releases of different schedules ({old.kind}, "
            f"{new.kind}); compare two releases of one",
            argument="to",
        )
    wanted = None if kinds is None else sorted({k.name for k in kinds})  # names are values
    old_schedule, new_schedule = payment_release(ctx, old), payment_release(ctx, new)
    meanings: dict[str, dict[str, str]] = {}

    def convert_row(
        release: PaymentReleaseRow, row: Row | None
    ) -> AscPayment | OutpatientPayment | None:
        if row is None:
            return None
        if isinstance(row, AscRow):
            return asc_payment(ctx, release, row, meanings[release.id])
        return outpatient_payment(ctx, release, row)

    def convert(change: _Compared) -> PaymentChange:
        rates = (
            None if change.before is None else _rate(change.before),
            None if change.after is None else _rate(change.after),
        )
        return PaymentChange(
            hcpcs_code=change.code,
            kind=PaymentChangeKind(change.kind),
            before=convert_row(old, change.before),
            after=convert_row(new, change.after),
            rate_difference=None
            if rates[0] is None or rates[1] is None
            else Decimal(str(rates[1] - rates[0])),
            from_schedule=old_schedule,
            to_schedule=new_schedule,
        )

    async def items(info: strawberry.Info) -> list[_Compared]:
        if old.kind == ASC:  # rows are converted when paged, without awaiting
            for release in (old, new):
                meanings[release.id] = await _asc_meanings(ctx, release)
        found = await _compared(ctx, old.id, new.id, old.kind)
        return found if wanted is None else [c for c in found if c.kind in wanted]

    source = ListSource(
        items, convert, release=f"{old.id}..{new.id}", kind="payment-changes", definition=wanted
    )
    return Connection.of(source, first=first, after=after)
