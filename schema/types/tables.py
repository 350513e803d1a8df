"""CMS's code tables as types: each coded value with its description, and the codes that
carry it (`codes`, `modifiers`), in the release it was reached from (or `release:`)."""

from __future__ import annotations

from typing import Literal, overload

import strawberry
from strawberry import Private

from hcpcs_graph.schema import ids
from hcpcs_graph.schema.types.arguments import HomeReleaseName
from hcpcs_graph.schema.types.connection_field import code_connection
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.payments import INDICATOR_KINDS, PaymentRelease, payment_releases
from hcpcs_graph.schema.types.protocol import RequestContext


def _value_home(value: CodedValue) -> tuple[str, str, str]:
    return value.release_id, value.table, value.code


def _note_home(note: ProcessingNote) -> tuple[str, str, str]:
    return note.release_id, "processing_note", str(note.number)


@strawberry.interface(description="A value of one of CMS's code tables, decoded.")
class CodedValue(Node):
    code: str = strawberry.field(description="The value as a record carries it, e.g. 11, D1E, A.")
    description: str | None = strawberry.field(
        description="CMS's description; null for a value found in the data but missing "
        "from CMS's table."
    )
    table: Private[str]
    release_id: Private[str]

    codes = code_connection(
        "The procedure codes carrying this value (default: the release this value was "
        "reached from, or the newest).",
        modifiers=False,
        home=_value_home,
        release=HomeReleaseName,
    )
    modifiers = code_connection(
        "The modifiers carrying this value.",
        modifiers=True,
        home=_value_home,
        release=HomeReleaseName,
    )


@strawberry.type(description="How Medicare Part B prices the code.")
class PricingIndicator(CodedValue):
    fee_schedule: str | None = strawberry.field(
        description="The fee schedule heading CMS lists the indicator under, e.g. "
        "'Linked To The Physician Fee Schedule'."
    )

    @strawberry.field(
        description="The loaded payment schedule releases that price codes carrying this "
        "indicator, newest first: 51 (ASP) the ASP pricing files and NDC crosswalks, 31 to "
        "46 the DMEPOS and DMEPEN fee schedules, 11 to 13 the physician fee schedule, 21 and "
        "22 the clinical lab fee schedule; empty for the others."
    )
    def schedules(self, info: strawberry.Info) -> list[PaymentRelease]:
        kinds = INDICATOR_KINDS.get(self.code)
        return payment_releases(info.context, kinds) if kinds else []


@strawberry.type(description="Whether the code is priced under several methodologies.")
class MultiplePricingIndicator(CodedValue):
    pass


@strawberry.type(description="Medicare coverage status.")
class CoverageCode(CodedValue):
    pass


@strawberry.type(description="A high-level BETOS category: the first letter of a BETOS code.")
class BetosFamily:
    code: str = strawberry.field(description="The letter, e.g. I.")
    description: str | None = strawberry.field(
        description="The category's name, e.g. Imaging; null for a letter not in CMS's table."
    )
    release_id: Private[str]

    @strawberry.field(description="The BETOS codes of CMS's table that start with the letter.")
    def betos_codes(self, info: strawberry.Info) -> list[BetosCode]:
        table = info.context.catalog.tables.get("betos", {})
        return [
            coded_value(info.context, "betos", code, self.release_id)
            for code in sorted(table)
            if code.startswith(self.code)
        ]


@strawberry.type(description="Berenson-Eggers type of service.")
class BetosCode(CodedValue):
    family: BetosFamily = strawberry.field(
        description="The BETOS category the code belongs to, e.g. I (Imaging)."
    )


@strawberry.type(description="CMS type of service.")
class TypeOfService(CodedValue):
    pass


@strawberry.type(description="The change CMS made to the code in a release.")
class ActionCode(CodedValue):
    pass


@strawberry.type(description="A CLIA laboratory certification category.")
class LabCertification(CodedValue):
    parent_code: Private[str | None]

    @strawberry.field(
        description="The general group (100 for 110): a lab certified for it "
        "may perform the tests of this category."
    )
    def parent(self, info: strawberry.Info) -> LabCertification | None:
        if self.parent_code is None:
            return None
        return coded_value(info.context, "lab_certification", self.parent_code, self.release_id)

    @strawberry.field(description="The categories under this group.")
    def children(self, info: strawberry.Info) -> list[LabCertification]:
        table = info.context.catalog.tables.get("lab_certification", {})
        return [
            coded_value(info.context, "lab_certification", entry.code, self.release_id)
            for entry in sorted(table.values(), key=lambda e: e.code)
            if entry.parent == self.code
        ]


@strawberry.type(description="Ambulatory surgical center payment group.")
class AscPaymentGroup(CodedValue):
    pass


@strawberry.type(description="Medicare outpatient group (MOG) payment group.")
class MogPaymentGroup(CodedValue):
    body_system: str | None = strawberry.field(
        description="The body system CMS lists the group under (its first digit), "
        "e.g. Musculoskeletal."
    )


@strawberry.type(description="MOG payment policy indicator.")
class MogPaymentPolicyIndicator(CodedValue):
    pass


@strawberry.type(description="A note from CMS's processing notes (Appendix A of the HCPCS manual).")
class ProcessingNote(Node):
    number: int = strawberry.field(
        description="The note's number, as a record's `processingNote` gives it."
    )
    text: str | None = strawberry.field(
        description="The note's text; null when the release was loaded without a notes file."
    )
    release_id: Private[str]

    codes = code_connection(
        "The procedure codes that carry this note.", modifiers=False, home=_note_home
    )


# code_tables.table_name -> its type
TABLE_TYPES: dict[str, type[CodedValue]] = {
    "pricing_indicator": PricingIndicator,
    "multiple_pricing_indicator": MultiplePricingIndicator,
    "coverage": CoverageCode,
    "betos": BetosCode,
    "type_of_service": TypeOfService,
    "action_code": ActionCode,
    "lab_certification": LabCertification,
    "asc_payment_group": AscPaymentGroup,
    "mog_payment_group": MogPaymentGroup,
    "mog_payment_policy_indicator": MogPaymentPolicyIndicator,
}
TYPE_TABLES = {cls.__name__: table for table, cls in TABLE_TYPES.items()}


@overload
def coded_value(
    ctx: RequestContext, table: Literal["betos"], code: str, release: str
) -> BetosCode: ...
@overload
def coded_value(
    ctx: RequestContext, table: Literal["lab_certification"], code: str, release: str
) -> LabCertification: ...
@overload
def coded_value(ctx: RequestContext, table: str, code: str, release: str) -> CodedValue: ...
def coded_value(ctx: RequestContext, table: str, code: str, release: str) -> CodedValue:
    """The decoded value, built once per request; unknown values keep their code."""
    key = (table, code, release)
    found = ctx.cache.objects.get(key)
    if found is None:
        entry = ctx.catalog.entry(table, code)
        cls = TABLE_TYPES[table]
        extra: dict[str, object] = {}
        if cls is PricingIndicator:
            extra["fee_schedule"] = entry.category
        elif cls is MogPaymentGroup:
            extra["body_system"] = entry.category
        elif cls is LabCertification:
            extra["parent_code"] = entry.parent
        elif cls is BetosCode:
            extra["family"] = betos_family(ctx, code[:1], release)
        found = ctx.cache.objects[key] = cls(
            # its codes and modifiers are the release's: so is its id
            id=strawberry.ID(ids.node_id(cls.__name__, release, code)),
            code=code,
            description=entry.description,
            table=table,
            release_id=release,
            **extra,
        )
    return found


def table_values(ctx: RequestContext, table: str, release: str) -> list[CodedValue]:
    """A table's values: CMS's, plus any the release carries that CMS's table lacks."""
    codes = set(ctx.catalog.tables.get(table, {}))
    meta = ctx.catalog.release(release)
    if meta is not None:
        codes.update(meta.unknown_values.get(table, {}))
    return [coded_value(ctx, table, code, release) for code in sorted(codes)]


def betos_family(ctx: RequestContext, letter: str, release: str) -> BetosFamily:
    key = ("betos_family", letter, release)
    found = ctx.cache.objects.get(key)
    if found is None:
        entry = ctx.catalog.entry("betos_family", letter)
        found = ctx.cache.objects[key] = BetosFamily(
            code=letter, description=entry.description, release_id=release
        )
    return found


def processing_note(ctx: RequestContext, number: int, release: str) -> ProcessingNote:
    key = ("note", number, release)
    found = ctx.cache.objects.get(key)
    if found is None:
        found = ctx.cache.objects[key] = ProcessingNote(
            id=strawberry.ID(ids.node_id("ProcessingNote", release, str(number))),
            number=number,
            text=ctx.catalog.notes.get((release, number)),
            release_id=release,
        )
    return found
