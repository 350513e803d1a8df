"""A loaded CMS release, and its codes and modifiers."""

from __future__ import annotations

import strawberry

from hcpcs_graph.schema import ids
from hcpcs_graph.schema.scalars import Date, DateTime
from hcpcs_graph.schema.types.connection_field import code_connection
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.protocol import RequestContext


@strawberry.type(description="A value the release carries that CMS's code table lacks.")
class UnknownCodeValue:
    field: str = strawberry.field(
        description="The field carrying it, e.g. betos or pricing_indicator."
    )
    value: str = strawberry.field(description="The value the table lacks.")
    count: int = strawberry.field(description="How many times the release's records carry it.")


def _home(release: Release) -> tuple[str, None, None]:
    return release.name, None, None


@strawberry.type(description="One loaded CMS release of the HCPCS file.")
class Release(Node):
    name: str = strawberry.field(description="The release id, YYYY-MM, e.g. 2025-10.")
    effective_date: Date = strawberry.field(
        description="The date the release takes effect, e.g. 2025-10-01."
    )
    source_name: str = strawberry.field(description="The file it was loaded from.")
    source_format: str = strawberry.field(description="The file's format: txt, xlsx or xls.")
    sha256: str = strawberry.field(
        description="The SHA-256 of what was loaded (the ZIP, or the file), in hex."
    )
    loaded_at: DateTime = strawberry.field(description="When the release was loaded.")
    code_count: int = strawberry.field(description="How many procedure codes it holds.")
    modifier_count: int = strawberry.field(description="How many modifiers it holds.")
    processing_note_count: int = strawberry.field(
        description="How many processing notes it holds (0 when loaded without a notes file)."
    )
    is_sample: bool = strawberry.field(description="The bundled one-record sample.")
    unknown_code_values: list[UnknownCodeValue] = strawberry.field(
        description="The values its records carry that CMS's code tables lack."
    )
    repairs: list[str] = strawberry.field(
        description="CMS quirks in the file that were read in a documented way."
    )

    codes = code_connection(
        "The release's procedure codes.", modifiers=False, home=_home, search=True
    )
    modifiers = code_connection("The release's modifiers.", modifiers=True, home=_home, search=True)


def release_object(ctx: RequestContext, name: str) -> Release:
    key = ("release", name)
    found = ctx.cache.objects.get(key)
    if found is None:
        row = ctx.catalog.release(name)
        assert row is not None  # names come checked (Context.release, node ids)
        found = ctx.cache.objects[key] = Release(
            id=strawberry.ID(ids.node_id("Release", row.id)),
            name=row.id,
            effective_date=Date(row.effective_date),
            source_name=row.source_name,
            source_format=row.source_format,
            sha256=row.sha256,
            loaded_at=DateTime(row.loaded_at),
            code_count=row.code_count,
            modifier_count=row.modifier_count,
            processing_note_count=row.note_count,
            is_sample=row.is_sample,
            unknown_code_values=[
                UnknownCodeValue(field=f, value=v, count=n)
                for f, values in row.unknown_values.items()
                for v, n in values.items()
            ],
            repairs=row.repairs,
        )
    return found
