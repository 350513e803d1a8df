"""HCPCS codes and modifiers: one CMS record each, every coded value decoded."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import strawberry
from strawberry import Private

from db.queries import CODE_COLUMNS
from schema import ids
from schema.scalars import Date
from schema.types.node import Node

if TYPE_CHECKING:
    from schema.types.release import Release
    from schema.types.tables import (
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

Tables = "schema.types.tables"
_INDEX = {name: i for i, name in enumerate(CODE_COLUMNS)}


def _coded(info: strawberry.Info, table: str, code: str | None, release: str):
    from schema.types.tables import coded_value

    return None if code is None else coded_value(info.context, table, code, release)


@strawberry.interface(
    description="What a procedure code and a modifier share: CMS's record, decoded."
)
class HcpcsRecord:
    code: str
    sequence_number: int = strawberry.field(
        description="CMS's sequence number of the record's first line (100, 200, ...)."
    )
    record_id: str = strawberry.field(
        description="CMS's record identification code: 3 for a procedure, 7 for a modifier."
    )
    long_description: str
    short_description: str
    cim_references: list[str] = strawberry.field(
        description="Coverage Issues Manual reference sections, in CMS's order."
    )
    mcm_references: list[str] = strawberry.field(
        description="Medicare Carriers Manual reference sections, in CMS's order."
    )
    statute: str | None
    asc_effective_date: Date | None
    mog_effective_date: Date | None
    anesthesia_base_units: int | None
    added_date: Date | None
    action_effective_date: Date | None
    termination_date: Date | None

    row_id: Private[int]
    release_id: Private[str]
    raw: Private[tuple]

    @strawberry.field
    def pricing_indicators(
        self, info: strawberry.Info
    ) -> list[Annotated[PricingIndicator, strawberry.lazy(Tables)]]:
        values = json.loads(self.raw[_INDEX["pricing_indicators"]])
        return [_coded(info, "pricing_indicator", v, self.release_id) for v in values]

    @strawberry.field
    def multiple_pricing_indicator(
        self, info: strawberry.Info
    ) -> Annotated[MultiplePricingIndicator, strawberry.lazy(Tables)] | None:
        value = self.raw[_INDEX["multiple_pricing_indicator"]]
        return _coded(info, "multiple_pricing_indicator", value, self.release_id)

    @strawberry.field
    def lab_certifications(
        self, info: strawberry.Info
    ) -> list[Annotated[LabCertification, strawberry.lazy(Tables)]]:
        values = json.loads(self.raw[_INDEX["lab_certifications"]])
        return [_coded(info, "lab_certification", v, self.release_id) for v in values]

    @strawberry.field
    def cross_references(self) -> list[CrossReference]:
        values = json.loads(self.raw[_INDEX["cross_references"]])
        return [CrossReference(code=v, release_id=self.release_id) for v in values]

    @strawberry.field
    def coverage(
        self, info: strawberry.Info
    ) -> Annotated[CoverageCode, strawberry.lazy(Tables)] | None:
        return _coded(info, "coverage", self.raw[_INDEX["coverage"]], self.release_id)

    @strawberry.field
    def asc_payment_group(
        self, info: strawberry.Info
    ) -> Annotated[AscPaymentGroup, strawberry.lazy(Tables)] | None:
        value = self.raw[_INDEX["asc_payment_group"]]
        return _coded(info, "asc_payment_group", value, self.release_id)

    @strawberry.field
    def mog_payment_group(
        self, info: strawberry.Info
    ) -> Annotated[MogPaymentGroup, strawberry.lazy(Tables)] | None:
        value = self.raw[_INDEX["mog_payment_group"]]
        return _coded(info, "mog_payment_group", value, self.release_id)

    @strawberry.field
    def mog_payment_policy_indicator(
        self, info: strawberry.Info
    ) -> Annotated[MogPaymentPolicyIndicator, strawberry.lazy(Tables)] | None:
        value = self.raw[_INDEX["mog_payment_policy_indicator"]]
        return _coded(info, "mog_payment_policy_indicator", value, self.release_id)

    @strawberry.field(
        description="CMS's processing note: its number is kept even when no notes file was loaded."
    )
    def processing_note(
        self, info: strawberry.Info
    ) -> Annotated[ProcessingNote, strawberry.lazy(Tables)] | None:
        from schema.types.tables import processing_note

        number = self.raw[_INDEX["processing_note"]]
        return None if number is None else processing_note(info.context, number, self.release_id)

    @strawberry.field(description="Berenson-Eggers type of service.")
    def betos(self, info: strawberry.Info) -> Annotated[BetosCode, strawberry.lazy(Tables)] | None:
        return _coded(info, "betos", self.raw[_INDEX["betos"]], self.release_id)

    @strawberry.field
    def types_of_service(
        self, info: strawberry.Info
    ) -> list[Annotated[TypeOfService, strawberry.lazy(Tables)]]:
        values = json.loads(self.raw[_INDEX["types_of_service"]])
        return [_coded(info, "type_of_service", v, self.release_id) for v in values]

    @strawberry.field(description="The change CMS made to the code in this release.")
    def action(
        self, info: strawberry.Info
    ) -> Annotated[ActionCode, strawberry.lazy(Tables)] | None:
        return _coded(info, "action_code", self.raw[_INDEX["action_code"]], self.release_id)

    @strawberry.field(description="The release this version of the record comes from.")
    def release(
        self, info: strawberry.Info
    ) -> Annotated[Release, strawberry.lazy("schema.types.release")]:
        from schema.types.release import release_object

        return release_object(info.context, self.release_id)


def _fields(row: tuple) -> dict[str, object]:
    get = row.__getitem__
    return {
        "code": get(2),
        "sequence_number": get(4),
        "record_id": get(5),
        "long_description": get(6),
        "short_description": get(7),
        "cim_references": json.loads(get(10)),
        "mcm_references": json.loads(get(11)),
        "statute": get(12),
        "asc_effective_date": get(17),
        "mog_effective_date": get(20),
        "anesthesia_base_units": get(24),
        "added_date": get(25),
        "action_effective_date": get(26),
        "termination_date": get(27),
        "row_id": get(0),
        "release_id": get(1),
        "raw": row,
    }


@strawberry.type(description="A HCPCS Level II procedure code, as of one release.")
class HcpcsCode(HcpcsRecord, Node):
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(ids.node_id("HcpcsCode", self.release_id, self.code))

    @strawberry.field(description="This code in every loaded release, oldest first.")
    async def history(self, info: strawberry.Info) -> list[HcpcsCode]:
        rows = await info.context.loaders.history.load((False, self.code))
        return [HcpcsCode.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: tuple) -> HcpcsCode:
        return cls(**_fields(row))


@strawberry.type(description="A HCPCS Level II modifier, as of one release.")
class Modifier(HcpcsRecord, Node):
    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(ids.node_id("Modifier", self.release_id, self.code))

    @strawberry.field(description="This modifier in every loaded release, oldest first.")
    async def history(self, info: strawberry.Info) -> list[Modifier]:
        rows = await info.context.loaders.history.load((True, self.code))
        return [Modifier.from_row(row) for row in rows]

    @classmethod
    def from_row(cls, row: tuple) -> Modifier:
        return cls(**_fields(row))


def from_row(row: tuple) -> HcpcsCode | Modifier:
    return Modifier.from_row(row) if row[3] else HcpcsCode.from_row(row)


@strawberry.type(description="A code this record points to (CMS often points to CPT codes).")
class CrossReference:
    code: str
    release_id: Private[str]

    @strawberry.field(
        description="The Level II code of the same release, or null when there is none "
        "(a CPT code, or a code not in this release)."
    )
    async def hcpcs_code(self, info: strawberry.Info) -> HcpcsCode | None:
        row = await info.context.loaders.code.load((self.release_id, False, self.code))
        return None if row is None else HcpcsCode.from_row(row)
