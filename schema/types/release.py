"""A loaded CMS release, and the lists of codes reached from the root or from a release."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import strawberry

from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.scalars import Date, DateTime
from hcpcs_graph.schema.types.arguments import After, Filter, First, Search
from hcpcs_graph.schema.types.connection import Connection
from hcpcs_graph.schema.types.filters import HcpcsCodeFilter, code_filter, search_query
from hcpcs_graph.schema.types.node import Node
from hcpcs_graph.schema.types.records import HcpcsCode, Modifier

if TYPE_CHECKING:
    from hcpcs_graph.schema.context import Context


def code_list(
    info: strawberry.Info,
    *,
    release: str,
    is_modifier: bool,
    filter: HcpcsCodeFilter | None,
    search: str | None,
    first: int | None,
    after: str | None,
) -> Connection[Any]:
    """A release's codes or modifiers, filtered, or full-text searched when `search` is given."""
    match, exact = search_query(search) if search is not None else (None, None)
    codes = CodeSet(
        release=release,
        is_modifier=is_modifier,
        filter=code_filter(filter),
        search=match,
        exact_code=exact,
    )
    return Connection.of_codes(codes, info.context.build.record, first=first, after=after)


@strawberry.type(description="A value the release carries that CMS's code table lacks.")
class UnknownCodeValue:
    field: str = strawberry.field(
        description="The field carrying it, e.g. betos or pricing_indicator."
    )
    value: str = strawberry.field(description="The value the table lacks.")
    count: int = strawberry.field(description="How many times the release's records carry it.")


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

    @strawberry.field(description="The release's procedure codes.")
    async def codes(
        self,
        info: strawberry.Info,
        filter: Filter = None,
        search: Search = None,
        first: First = None,
        after: After = None,
    ) -> Connection[HcpcsCode]:
        return code_list(
            info, release=self.name, is_modifier=False, filter=filter, search=search,
            first=first, after=after,
        )  # fmt: skip

    @strawberry.field(description="The release's modifiers.")
    async def modifiers(
        self,
        info: strawberry.Info,
        filter: Filter = None,
        search: Search = None,
        first: First = None,
        after: After = None,
    ) -> Connection[Modifier]:
        return code_list(
            info, release=self.name, is_modifier=True, filter=filter, search=search,
            first=first, after=after,
        )  # fmt: skip


def release_object(ctx: Context, name: str) -> Release:
    key = ("release", name)
    found = ctx.objects.get(key)
    if found is None:
        row = ctx.catalog.release(name)
        assert row is not None  # names come checked (Context.release, node ids)
        found = ctx.objects[key] = Release(
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
