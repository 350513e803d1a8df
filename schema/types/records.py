"""HCPCS codes and modifiers: one CMS record each, every coded value decoded.

Every field but `history` is a plain attribute, filled when the row is read (see
schema/build.py): a resolver call per field costs graphql-core several times what an
attribute costs, and decoding a value is a dictionary lookup in the request's cache.
"""

from __future__ import annotations

import enum
from typing import Annotated

import strawberry
from strawberry import Private

from hcpcs_graph.schema.history import code_history
from hcpcs_graph.schema.scalars import Date
from hcpcs_graph.schema.types import facility, payments, physician
from hcpcs_graph.schema.types.changes import CodeChange, code_change
from hcpcs_graph.schema.types.facility import AscPayment, OutpatientPayment
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.payments import DmeposFee, DrugPricing, NdcCrosswalkEntry
from hcpcs_graph.schema.types.physician import LabFee, PhysicianFee
from hcpcs_graph.schema.types.release import Release
from hcpcs_graph.schema.types.tables import (
    ActionCode,
    AscPaymentGroup,
    BetosCode,
    CoverageCode,
    LabCertification,
    MogPaymentGroup,
    MogPaymentPolicyIndicator,
    MultiplePricingIndicator,
    PricingIndicator,
    ProcessingNote,
    TypeOfService,
)


@strawberry.enum(description="Whether a code could be billed on a date.")
class CodeStatus(enum.Enum):
    ACTIVE = strawberry.enum_value(
        "ACTIVE", description="Added on or before the date, and not terminated before it."
    )
    NOT_YET_ADDED = strawberry.enum_value(
        "NOT_YET_ADDED", description="Its added date is after the date."
    )
    TERMINATED = strawberry.enum_value(
        "TERMINATED", description="Its termination date is before the date."
    )


@strawberry.type(description="A code this record points to (CMS often points to CPT codes).")
class CrossReference:
    code: str = strawberry.field(
        description="The code referred to: a Level II code, or a CPT code."
    )
    release_id: Private[str]

    @strawberry.field(
        description="The Level II code of the same release, or null when there is none "
        "(a CPT code, or a code not in this release)."
    )
    async def hcpcs_code(self, info: strawberry.Info) -> HcpcsCode | None:
        row = await info.context.loaders.code.load((self.release_id, False, self.code))
        return None if row is None else info.context.build.record(row)

    @strawberry.field(
        description="The code in the same release, or else its latest loaded version (its "
        "`release` says which); null when no loaded release has it (a CPT code)."
    )
    async def target(self, info: strawberry.Info) -> HcpcsCode | None:
        loaders = info.context.loaders
        row = await loaders.code.load((self.release_id, False, self.code))
        if row is None:
            versions = await loaders.history.load((False, self.code))
            row = versions[-1] if versions else None
        return None if row is None else info.context.build.record(row)


@strawberry.interface(
    description="What a procedure code and a modifier share: CMS's record, decoded."
)
class HcpcsRecord(Node):
    code: str = strawberry.field(
        description="The HCPCS code: 5 characters for a procedure, 2 for a modifier."
    )
    sequence_number: int = strawberry.field(
        description="CMS's sequence number of the record's first line (100, 200, ...)."
    )
    record_id: str = strawberry.field(
        description="CMS's record identification code: 3 for a procedure, 7 for a modifier."
    )
    long_description: str = strawberry.field(
        description="CMS's full description, its continuation lines joined."
    )
    short_description: str = strawberry.field(
        description="CMS's short description, 28 characters at most."
    )
    pricing_indicators: list[PricingIndicator] = strawberry.field(
        description="How Part B prices the code: up to four methodologies, in CMS's order."
    )
    multiple_pricing_indicator: MultiplePricingIndicator | None = strawberry.field(
        description="Whether and how the code is priced under several methodologies."
    )
    cim_references: list[str] = strawberry.field(
        description="Coverage Issues Manual reference sections, in CMS's order."
    )
    mcm_references: list[str] = strawberry.field(
        description="Medicare Carriers Manual reference sections, in CMS's order."
    )
    statute: str | None = strawberry.field(
        description="The statute reference for the coverage or noncoverage of the service."
    )
    lab_certifications: list[LabCertification] = strawberry.field(
        description="The lab certification categories CMS classifies the test under; a lab "
        "certified for a category (e.g. 100) may perform the tests of its subcategories."
    )
    cross_references: list[CrossReference] = strawberry.field(
        description="Codes CMS crosswalks this one to (for a deleted code, or one not valid "
        "for Medicare), in CMS's order; up to five."
    )
    coverage: CoverageCode | None = strawberry.field(
        description="Medicare coverage status: covered at the contractor's judgment, covered "
        "under special instructions, not payable, or not covered (by Medicare or by statute)."
    )
    asc_payment_group: AscPaymentGroup | None = strawberry.field(
        description="YY when the procedure is approved for an ambulatory surgical center; "
        "null when not."
    )
    asc_effective_date: Date | None = strawberry.field(
        description="When the procedure was assigned to its ASC payment group."
    )
    mog_payment_group: MogPaymentGroup | None = strawberry.field(
        description="Medicare outpatient group (MOG) payment group: its first digit names "
        "the body system, its second counts within it, its third is the level of intensity."
    )
    mog_payment_policy_indicator: MogPaymentPolicyIndicator | None = strawberry.field(
        description="Whether the code is paid an ASC facility fee, a separate fee under "
        "another provision of Medicare, or no fee."
    )
    mog_effective_date: Date | None = strawberry.field(
        description="When the procedure was assigned to its MOG payment group."
    )
    processing_note: ProcessingNote | None = strawberry.field(
        description="CMS's processing note: its number is kept even when no notes file was loaded."
    )
    betos: BetosCode | None = strawberry.field(
        description="Berenson-Eggers type of service (BETOS): the one clinical category CMS "
        "assigns the code to, for analysing Medicare spending."
    )
    types_of_service: list[TypeOfService] = strawberry.field(
        description="The CMS types of service the code stands for: up to five."
    )
    anesthesia_base_units: int | None = strawberry.field(
        description="Anesthesia base units: the intensity of the anesthesia service apart "
        "from time (its payment uses base units, time units and the conversion factor)."
    )
    added_date: Date | None = strawberry.field(description="When the code was added to HCPCS.")
    action_effective_date: Date | None = strawberry.field(
        description="When the change CMS made to the code (`action`) took effect."
    )
    termination_date: Date | None = strawberry.field(
        description="The last date Medicare providers may use the code; null when it has none."
    )
    action: ActionCode | None = strawberry.field(
        description="The change CMS made to the code in this release."
    )
    release: Release = strawberry.field(
        description="The release this version of the record comes from."
    )
    status: CodeStatus = strawberry.field(
        description="Whether the code could be billed on `statusDate`."
    )
    status_date: Date = strawberry.field(
        description="The date `status` is for: the release's effective date, or the `asOf` "
        "date it was looked up for."
    )

    release_id: Private[str]

    @strawberry.field(
        description="What changed in each loaded release after the first that has this code, "
        "oldest first, against the release before it."
    )
    async def changes(self, info: strawberry.Info) -> list[CodeChange]:
        ctx = info.context
        versions = await ctx.loaders.history.load((isinstance(self, Modifier), self.code))
        releases = [(r.id, r.effective_date) for r in ctx.catalog.releases]
        return [code_change(ctx, c) for c in code_history(versions, releases)]


_PAYMENT_DATE = (
    "A date of service, YYYY-MM-DD: the schedule release in force on it, or nothing (null, "
    "or an empty list) when no loaded release is. When omitted: the release in force on "
    "this record's `statusDate`, else the latest loaded."
)
PaymentAsOf = Annotated[Date | None, strawberry.argument(description=_PAYMENT_DATE)]
State = Annotated[
    str | None,
    strawberry.argument(
        description="Only this state's fees in `stateFees`: its two letters (case is "
        "ignored), e.g. NY, PR, VI; an unknown state is BAD_USER_INPUT. Every state when "
        "omitted."
    ),
]
Modifiers = Annotated[
    list[str] | None,
    strawberry.argument(
        description="Only the rows billed with exactly these modifiers, in any order, e.g. "
        '["NU"] or ["RR", "KH"]; [] for the rows without modifiers. Each is two characters, '
        "two at most (else BAD_USER_INPUT). Every row when omitted."
    ),
]


@strawberry.type(description="A HCPCS Level II procedure code, as of one release.")
class HcpcsCode(HcpcsRecord):
    @strawberry.field(description="This code in every loaded release, oldest first.")
    async def history(self, info: strawberry.Info) -> list[HcpcsCode]:
        rows = await info.context.loaders.history.load((False, self.code))
        return [info.context.build.record(row) for row in rows]

    @strawberry.field(
        description="The codes of the same release whose cross references point to this one."
    )
    async def referenced_by(self, info: strawberry.Info) -> list[HcpcsCode]:
        rows = await info.context.loaders.referenced_by.load((self.release_id, self.code))
        return [info.context.build.record(row) for row in rows]

    @strawberry.field(
        description="What Medicare Part B pays for the drug (the ASP pricing file): its "
        "payment limit per billing unit, co-insurance and notes; null when the schedule has "
        "no row for the code or no release of it applies."
    )
    async def drug_pricing(
        self, info: strawberry.Info, as_of: PaymentAsOf = None
    ) -> DrugPricing | None:
        return await payments.code_drug_pricing(info.context, self.code, self.status_date, as_of)

    @strawberry.field(
        description="The drug packages (NDCs) that bill under this code (the ASP NDC-HCPCS "
        "crosswalk), with their billing units, in the file's order."
    )
    async def ndcs(
        self, info: strawberry.Info, as_of: PaymentAsOf = None
    ) -> list[NdcCrosswalkEntry]:
        return await payments.code_ndcs(info.context, self.code, self.status_date, as_of)

    @strawberry.field(
        description="The code's rows in the DMEPOS fee schedule and the parenteral and "
        "enteral nutrition (DMEPEN) schedule: one per combination of modifiers, each with "
        "its fees per state; empty when neither prices the code."
    )
    async def dmepos_fees(
        self,
        info: strawberry.Info,
        state: State = None,
        modifiers: Modifiers = None,
        as_of: PaymentAsOf = None,
    ) -> list[DmeposFee]:
        return await payments.code_dmepos_fees(
            info.context,
            self.code,
            self.status_date,
            as_of,
            payments.state_argument(state),
            payments.modifiers_argument(modifiers),
        )

    # issue 19: the physician and clinical lab fee schedules (schema/types/physician.py)
    @strawberry.field(
        description="The code's rows in the physician fee schedule (the code alone, and with "
        "modifier 26, TC or 53 where the file has them): RVUs, decoded payment policy "
        "indicators, the conversion factor, and `payment` at a locality; empty when the "
        "schedule has no row for the code or no release of it applies."
    )
    async def physician_fee_schedule(
        self,
        info: strawberry.Info,
        as_of: PaymentAsOf = None,
        modifier: physician.PfsModifier = None,
    ) -> list[PhysicianFee]:
        return await physician.code_physician_fees(
            info.context, self.code, self.status_date, as_of, modifier
        )

    @strawberry.field(
        description="The code's rows in the clinical laboratory fee schedule, one per "
        "modifier (none, or QW for a CLIA waived test), in the file's order; empty when the "
        "schedule has no row for the code or no release of it applies."
    )
    async def lab_fees(self, info: strawberry.Info, as_of: PaymentAsOf = None) -> list[LabFee]:
        return await physician.code_lab_fees(info.context, self.code, self.status_date, as_of)

    # Facility schedules (issue 19): schema/types/facility.py.

    @strawberry.field(
        description="What Medicare pays an ambulatory surgical center for the code (the ASC "
        "addenda AA and BB): payment indicator, weight, national rate; null when the "
        "schedule has no row for the code or no release of it applies."
    )
    async def asc_payment(
        self, info: strawberry.Info, as_of: PaymentAsOf = None
    ) -> AscPayment | None:
        return await facility.code_asc_payment(info.context, self.code, self.status_date, as_of)

    @strawberry.field(
        description="How the hospital outpatient prospective payment system pays for the "
        "code (OPPS Addendum B): status indicator, APC, weight, rate and copayments; null "
        "when Addendum B has no row for the code or no release of it applies. Two aliased "
        "fields with different `asOf` dates set two years side by side."
    )
    async def outpatient_payment(
        self, info: strawberry.Info, as_of: PaymentAsOf = None
    ) -> OutpatientPayment | None:
        return await facility.code_outpatient_payment(
            info.context, self.code, self.status_date, as_of
        )


@strawberry.type(description="A HCPCS Level II modifier, as of one release.")
class Modifier(HcpcsRecord):
    @strawberry.field(description="This modifier in every loaded release, oldest first.")
    async def history(self, info: strawberry.Info) -> list[Modifier]:
        rows = await info.context.loaders.history.load((True, self.code))
        return [info.context.build.record(row) for row in rows]
