"""The root Query type."""

from __future__ import annotations

from typing import Annotated, Literal, overload

import strawberry

from hcpcs_graph.db.payments import ndc_codes
from hcpcs_graph.schema.claims import check_claim_lines
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.nodes import find_node
from hcpcs_graph.schema.scalars import Date
from hcpcs_graph.schema.types import facility, payments, physician
from hcpcs_graph.schema.types.arguments import (
    DIFF_FROM,
    DIFF_TO,
    NODE_ID,
    After,
    AsOf,
    Code,
    First,
    ReleaseName,
)
from hcpcs_graph.schema.types.changes import CodeChange, ReleaseDiffFilter, release_diff
from hcpcs_graph.schema.types.claims import MAX_LINES, ClaimLineCheck, ClaimLineInput
from hcpcs_graph.schema.types.connection import Connection
from hcpcs_graph.schema.types.connection_field import code_connection
from hcpcs_graph.schema.types.facility import (
    Apc,
    AscPaymentIndicator,
    OppsStatusIndicator,
    PaymentChange,
    PaymentChangeKind,
)
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.payments import (
    DmeposCategory,
    NdcCrosswalkEntry,
    PaymentRelease,
)
from hcpcs_graph.schema.types.physician import Locality, PfsStatusCode
from hcpcs_graph.schema.types.records import HcpcsCode, Modifier
from hcpcs_graph.schema.types.release import Release, release_object
from hcpcs_graph.schema.types.tables import (
    TABLE_TYPES,
    BetosFamily,
    CodedValue,
    ProcessingNote,
    betos_family,
    coded_value,
    processing_note,
    table_values,
)

OppsSchedule = Annotated[
    str | None,
    strawberry.argument(
        description="A loaded OPPS Addendum B release's name, e.g. opps-2020-01; the newest "
        "loaded when omitted. Any other name is BAD_USER_INPUT."
    ),
]

# table -> (list field, by-code field), the public names
TABLE_FIELDS = {
    "pricing_indicator": ("pricingIndicators", "pricingIndicator"),
    "multiple_pricing_indicator": ("multiplePricingIndicators", "multiplePricingIndicator"),
    "coverage": ("coverageCodes", "coverageCode"),
    "betos": ("betosCodes", "betosCode"),
    "type_of_service": ("typesOfService", "typeOfService"),
    "action_code": ("actionCodes", "actionCode"),
    "lab_certification": ("labCertifications", "labCertification"),
    "asc_payment_group": ("ascPaymentGroups", "ascPaymentGroup"),
    "mog_payment_group": ("mogPaymentGroups", "mogPaymentGroup"),
    "mog_payment_policy_indicator": ("mogPaymentPolicyIndicators", "mogPaymentPolicyIndicator"),
}


def _code(value: str) -> str:
    return value.strip().upper()


@overload
async def _record(
    info: strawberry.Info, release: str, is_modifier: Literal[False], code: str, as_of: str | None
) -> HcpcsCode | None: ...
@overload
async def _record(
    info: strawberry.Info, release: str, is_modifier: Literal[True], code: str, as_of: str | None
) -> Modifier | None: ...
async def _record(
    info: strawberry.Info, release: str, is_modifier: bool, code: str, as_of: str | None
) -> HcpcsCode | Modifier | None:
    ctx: Context = info.context
    row = await ctx.loaders.code.load((release, is_modifier, _code(code)))
    if row is None:
        return None
    return ctx.build.record(row, as_of)


def _release_for(ctx: Context, release: str | None, as_of: str | None) -> str:
    """`release` if given; else the latest release in force on `as_of`; else the newest."""
    if release is not None or as_of is None:
        return ctx.release(release)
    in_force = [r.id for r in ctx.catalog.releases if r.effective_date <= as_of]
    if not in_force:
        earliest = ctx.catalog.releases[0]
        raise UserInputError(
            f"no loaded release is in force on {as_of}; the earliest, {earliest.id}, "
            f"is effective from {earliest.effective_date}",
            argument="asOf",
        )
    return in_force[-1]


def _table_resolvers(table: str, cls: type[CodedValue]) -> dict[str, object]:
    list_name, one_name = TABLE_FIELDS[table]

    # Their return types are cls's, set below: as written, what mypy sees of them.
    def all_values(info: strawberry.Info, release: ReleaseName = None) -> list[CodedValue]:
        ctx: Context = info.context
        return table_values(ctx, table, ctx.release(release))

    def one_value(
        info: strawberry.Info, code: Code, release: ReleaseName = None
    ) -> CodedValue | None:
        ctx: Context = info.context
        release_id = ctx.release(release)
        value = _code(code)
        known = ctx.catalog.tables.get(table, {})
        meta = ctx.catalog.release(release_id)
        assert meta is not None  # Context.release checked it
        if value not in known and value not in meta.unknown_values.get(table, {}):
            return None
        return coded_value(ctx, table, value, release_id)

    all_values.__annotations__["return"] = list[cls]  # type: ignore[valid-type]  # built at runtime, for Strawberry
    one_value.__annotations__["return"] = cls | None
    return {
        list_name: strawberry.field(
            resolver=all_values,
            name=list_name,
            description=f"Every {cls.__name__} value (CMS's table, plus any the release "
            "carries that the table lacks).",
        ),
        one_name: strawberry.field(
            resolver=one_value, name=one_name, description=f"One {cls.__name__} value, or null."
        ),
    }


@strawberry.type
class _BaseQuery:
    @strawberry.field(
        description="One procedure code; null when the release does not have it. With `asOf`, "
        "the version in force on that date of service (from the latest release effective on or "
        "before it), its `status` then."
    )
    async def hcpcs_code(
        self,
        info: strawberry.Info,
        code: Code,
        release: ReleaseName = None,
        as_of: AsOf = None,
    ) -> HcpcsCode | None:
        chosen = _release_for(info.context, release, as_of)
        return await _record(info, chosen, False, code, as_of)

    hcpcs_codes = code_connection(
        "Procedure codes, filtered, or full-text searched by `search`.",
        modifiers=False,
        search=True,
        release=ReleaseName,
    )

    @strawberry.field(description="One modifier; null when the release does not have it.")
    async def modifier(
        self,
        info: strawberry.Info,
        code: Code,
        release: ReleaseName = None,
        as_of: AsOf = None,
    ) -> Modifier | None:
        chosen = _release_for(info.context, release, as_of)
        return await _record(info, chosen, True, code, as_of)

    @strawberry.field(
        description="The codes added, discontinued, reactivated, changed or dropped between two "
        "loaded releases, each with its field-level differences; codes first, then modifiers."
    )
    def release_diff(
        self,
        info: strawberry.Info,
        from_: Annotated[str, strawberry.argument(name="from", description=DIFF_FROM)],
        to: Annotated[str, strawberry.argument(description=DIFF_TO)],
        filter: Annotated[
            ReleaseDiffFilter | None,
            strawberry.argument(description="Which changes to list; every change when omitted."),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[CodeChange]:
        return release_diff(info.context, from_, to, filter, first, after)

    modifiers = code_connection(
        "Modifiers, filtered, or full-text searched by `search`.",
        modifiers=True,
        search=True,
        release=ReleaseName,
    )

    @strawberry.field(description="The loaded releases, newest first.")
    def releases(self, info: strawberry.Info) -> list[Release]:
        ctx: Context = info.context
        return [release_object(ctx, r.id) for r in reversed(ctx.catalog.releases)]

    @strawberry.field(description="One loaded release by name; the newest when omitted.")
    def release(self, info: strawberry.Info, name: ReleaseName = None) -> Release | None:
        ctx: Context = info.context
        return release_object(ctx, ctx.release(name, argument="name"))

    @strawberry.field(description="The high-level BETOS categories.")
    def betos_families(
        self, info: strawberry.Info, release: ReleaseName = None
    ) -> list[BetosFamily]:
        ctx: Context = info.context
        release_id = ctx.release(release)
        return [
            betos_family(ctx, letter, release_id)
            for letter in sorted(ctx.catalog.tables.get("betos_family", {}))
        ]

    @strawberry.field(description="One processing note of a release; null when it has none.")
    def processing_note(
        self,
        info: strawberry.Info,
        number: Annotated[
            int,
            strawberry.argument(
                description="The note's number, as a record's `processingNote` gives it."
            ),
        ],
        release: ReleaseName = None,
    ) -> ProcessingNote | None:
        ctx: Context = info.context
        release_id = ctx.release(release)
        if (release_id, number) not in ctx.catalog.notes:
            return None
        return processing_note(ctx, number, release_id)

    @strawberry.field(description="A release's processing notes (empty when loaded without).")
    def processing_notes(
        self, info: strawberry.Info, release: ReleaseName = None
    ) -> list[ProcessingNote]:
        ctx: Context = info.context
        release_id = ctx.release(release)
        numbers = sorted(n for r, n in ctx.catalog.notes if r == release_id)
        return [processing_note(ctx, n, release_id) for n in numbers]

    @strawberry.field(
        description="A National Drug Code's rows in the ASP NDC-HCPCS crosswalk: the HCPCS "
        "codes its package bills under, with billing units; empty when the crosswalk does not "
        "list it."
    )
    async def ndc(
        self,
        info: strawberry.Info,
        code: Annotated[
            str,
            strawberry.argument(
                description="The NDC as printed on the package: 10 digits with hyphens "
                "(4-4-2, 5-3-2 or 5-4-1) or 11 digits (5-4-2) with or without hyphens. 10 "
                "digits without hyphens are ambiguous, and anything else is no NDC: "
                "BAD_USER_INPUT."
            ),
        ],
        as_of: Annotated[
            Date | None,
            strawberry.argument(
                description="A date of service, YYYY-MM-DD: the crosswalk in force on it "
                "(none: an empty list). The newest loaded crosswalk when omitted."
            ),
        ] = None,
    ) -> list[NdcCrosswalkEntry]:
        try:
            ndc11 = ndc_codes.normalize(code)
        except ValueError as e:
            raise UserInputError(str(e), argument="code") from None
        return await payments.ndc_lookup(info.context, ndc11, as_of)

    @strawberry.field(
        description="The loaded payment schedule releases (ASP pricing, NDC crosswalk, DMEPOS, "
        "DMEPEN), newest first."
    )
    def payments(self, info: strawberry.Info) -> list[PaymentRelease]:
        return payments.payment_releases(info.context)

    @strawberry.field(description="One loaded payment schedule release by name; null when none.")
    def payment_release(
        self,
        info: strawberry.Info,
        name: Annotated[
            str,
            strawberry.argument(
                description="The release's name: kind and first month, e.g. asp-2025-01, "
                "ndc-2025-10, dmepos-2025-01, dmepen-2025-01."
            ),
        ],
    ) -> PaymentRelease | None:
        ctx: Context = info.context
        row = ctx.catalog.payment(name.strip().lower())
        return None if row is None else payments.payment_release(ctx, row)

    @strawberry.field(
        description="The DMEPOS payment categories CMS's DMEREAD defines, each with its codes."
    )
    def dmepos_categories(self, info: strawberry.Info) -> list[DmeposCategory]:
        return payments.dmepos_categories(info.context)

    # issue 19: the physician fee schedule's localities and status codes (schema/types/physician.py)
    @strawberry.field(
        description="The physician fee schedule's payment localities, with their GPCIs, "
        "ordered by state, MAC and locality: what `PhysicianFee.payment(locality:)` takes."
    )
    async def localities(
        self,
        info: strawberry.Info,
        schedule: Annotated[
            str | None,
            strawberry.argument(
                description="A loaded physician fee schedule release's name, e.g. "
                "pfs-2025-01; the newest loaded when omitted. Any other name is "
                "BAD_USER_INPUT."
            ),
        ] = None,
    ) -> list[Locality]:
        return await physician.localities(info.context, schedule)

    @strawberry.field(
        description="The physician fee schedule's status codes (RVU25A Attachment A), each "
        "with the codes of the newest loaded release that carry it."
    )
    def pfs_status_codes(self, info: strawberry.Info) -> list[PfsStatusCode]:
        return physician.pfs_status_codes(info.context)

    @strawberry.field(description="One physician fee schedule status code; null when unknown.")
    def pfs_status_code(
        self,
        info: strawberry.Info,
        code: Annotated[
            str, strawberry.argument(description="The status code, e.g. A (case is ignored).")
        ],
    ) -> PfsStatusCode | None:
        return physician.pfs_status_code_named(info.context, code)

    # Facility schedules (issue 19): schema/types/facility.py.

    @strawberry.field(
        description="The OPPS payment status indicators (Addendum D1 of the schedule's "
        "year), each with the codes Addendum B gives it; empty when no Addendum B is loaded."
    )
    def opps_status_indicators(
        self, info: strawberry.Info, schedule: OppsSchedule = None
    ) -> list[OppsStatusIndicator]:
        return facility.opps_status_indicators(info.context, schedule)

    @strawberry.field(
        description="One OPPS payment status indicator, e.g. K; null when Addendum D1 does "
        "not define it or no Addendum B is loaded."
    )
    def opps_status_indicator(
        self, info: strawberry.Info, code: Code, schedule: OppsSchedule = None
    ) -> OppsStatusIndicator | None:
        return facility.one_opps_status_indicator(info.context, code, schedule)

    @strawberry.field(
        description="The ASC payment indicators of the release's Addendum DD1, by code, each "
        "with its codes; empty when no ASC release is loaded."
    )
    async def asc_payment_indicators(
        self,
        info: strawberry.Info,
        schedule: Annotated[
            str | None,
            strawberry.argument(
                description="A loaded ASC release's name, e.g. asc-2025-01; the newest loaded "
                "when omitted. Any other name is BAD_USER_INPUT."
            ),
        ] = None,
    ) -> list[AscPaymentIndicator]:
        return await facility.asc_payment_indicators(info.context, schedule)

    @strawberry.field(
        description="One ambulatory payment classification (APC) of OPPS Addendum B, with its "
        "codes; null when no row of the release is in it."
    )
    async def apc(
        self,
        info: strawberry.Info,
        code: Annotated[
            str,
            strawberry.argument(description="The APC's number as Addendum B writes it, e.g. 5691."),
        ],
        schedule: OppsSchedule = None,
    ) -> Apc | None:
        return await facility.one_apc(info.context, code, schedule)

    @strawberry.field(
        description="How payments changed between two releases of one schedule (ASC, or "
        "OPPS Addendum B), code by code in code order: codes ADDED and REMOVED, indicators "
        "changed, rates up or down, each with its rows before and after."
    )
    def payment_changes(
        self,
        info: strawberry.Info,
        from_: Annotated[
            str,
            strawberry.argument(
                name="from",
                description="The release to compare from, e.g. opps-2019-01; it and `to` must "
                "be loaded releases of one schedule (else BAD_USER_INPUT).",
            ),
        ],
        to: Annotated[
            str,
            strawberry.argument(description="The release to compare with, e.g. opps-2020-01."),
        ],
        kinds: Annotated[
            list[PaymentChangeKind] | None,
            strawberry.argument(
                description="Only changes of these kinds; every kind when omitted."
            ),
        ] = None,
        first: First = None,
        after: After = None,
    ) -> Connection[PaymentChange]:
        return facility.payment_changes(info.context, from_, to, kinds, first, after)

    # issue 20: claim line checks (schema/claims.py)
    @strawberry.field(
        description="Check a claim's lines before they are sent: for each, whether its code, "
        "modifiers and NDC are valid and payable on its date of service, what the rules found "
        "(each naming its CMS source) and what Medicare allows. No side effects: a query, "
        "cacheable by GET."
    )
    async def check_claim_lines(
        self,
        info: strawberry.Info,
        lines: Annotated[
            list[ClaimLineInput],
            strawberry.argument(
                description=f"The claim's lines, 1 to {MAX_LINES}. A line the schema accepts "
                "but that is no claim line (a malformed code, modifier, NDC, state or "
                "locality; more than 4 modifiers) is BAD_USER_INPUT naming the line and field."
            ),
        ],
    ) -> list[ClaimLineCheck]:
        return await check_claim_lines(info.context, lines)

    @strawberry.field(description="Any object by its global id.")
    async def node(
        self,
        info: strawberry.Info,
        id: Annotated[strawberry.ID, strawberry.argument(description=NODE_ID)],
    ) -> Node | None:
        found: Node | None = await find_node(info, id)
        return found


_fields: dict[str, object] = {}
for _table, _cls in TABLE_TYPES.items():
    _fields.update(_table_resolvers(_table, _cls))
Query = strawberry.type(
    type("Query", (_BaseQuery,), _fields),
    description="The entry points: codes, modifiers, code tables, releases and their changes.",
)
