"""Release history as types: what changed in a code from one loaded release to the next."""

from __future__ import annotations

import asyncio
import enum
from typing import TYPE_CHECKING, Annotated

import strawberry

from hcpcs_graph.db import queries
from hcpcs_graph.schema import history
from hcpcs_graph.schema.bounded import BoundedCache
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.types.connection import Connection, ListSource
from hcpcs_graph.schema.types.protocol import RequestContext
from hcpcs_graph.schema.types.release import Release, release_object
from hcpcs_graph.schema.types.tables import ActionCode, CodedValue, coded_value

if TYPE_CHECKING:
    # What mypy knows of a record. records.py imports this module (a record's `changes`
    # are CodeChanges): Strawberry finds HcpcsRecord there when it builds the schema.
    from hcpcs_graph.schema.types.protocol import Record as HcpcsRecord

RECORDS = "hcpcs_graph.schema.types.records"

DIFF_STEP = 500  # codes compared between yields to the event loop: ~5 ms


@strawberry.enum(description="How a code changed between two loaded releases.")
class ChangeKind(enum.Enum):
    ADDED = strawberry.enum_value(
        "ADDED",
        description="In the later release but not the earlier one (new, or back after "
        "being dropped), and active.",
    )
    DISCONTINUED = strawberry.enum_value(
        "DISCONTINUED",
        description="Not active in the later release (terminated before it took effect) "
        "though active in the earlier one, or new to the file already terminated.",
    )
    REACTIVATED = strawberry.enum_value(
        "REACTIVATED", description="Active in the later release, not in the earlier one."
    )
    CHANGED = strawberry.enum_value(
        "CHANGED", description="A field differs; active in both releases, or in neither."
    )
    DROPPED = strawberry.enum_value(
        "DROPPED", description="Gone from the file (CMS drops codes four years after ending them)."
    )
    UNCHANGED = strawberry.enum_value(
        "UNCHANGED",
        description="No field differs: in a code's `changes` only; a release diff leaves "
        "these out.",
    )


@strawberry.type(description="One field that differs between two versions of a code.")
class FieldDifference:
    field: str = strawberry.field(description="The field's name in this schema, e.g. betos.")
    before: str | None = strawberry.field(description="The values before, joined by ', '.")
    after: str | None = strawberry.field(description="The values after, joined by ', '.")
    before_values: list[str] = strawberry.field(
        description="The values before, one by one (empty when there were none)."
    )
    after_values: list[str] = strawberry.field(
        description="The values after, one by one (empty when there are none)."
    )
    before_decoded: list[CodedValue] = strawberry.field(
        description="The values before, decoded (empty for a field that is not coded)."
    )
    after_decoded: list[CodedValue] = strawberry.field(
        description="The values after, decoded (empty for a field that is not coded)."
    )


@strawberry.type(description="What changed in a code from one loaded release to another.")
class CodeChange:
    code: str = strawberry.field(description="The procedure code or modifier that changed.")
    is_modifier: bool = strawberry.field(description="Whether `code` is a modifier.")
    kind: ChangeKind = strawberry.field(description="What kind of change it is.")
    from_release: Release | None = strawberry.field(description="The earlier release.")
    to_release: Release = strawberry.field(description="The later release.")
    before: Annotated[HcpcsRecord, strawberry.lazy(RECORDS)] | None = strawberry.field(
        description="The version in the earlier release."
    )
    after: Annotated[HcpcsRecord, strawberry.lazy(RECORDS)] | None = strawberry.field(
        description="The version in the later release."
    )
    action: ActionCode | None = strawberry.field(
        description="The action code CMS gave the later version; null when it is gone "
        "(DROPPED) or has none."
    )
    differences: list[FieldDifference] = strawberry.field(
        description="The fields that differ, each with its values before and after."
    )


@strawberry.input(description="Which changes a release diff lists; all conditions hold (AND).")
class ReleaseDiffFilter:
    kinds: list[ChangeKind] | None = strawberry.field(
        default=None, description="Changes of any of these kinds; any kind when omitted."
    )
    action_codes: list[str] | None = strawberry.field(
        default=None, description="The later version's action code (A, C, D, N, P, R, ...)."
    )
    fields: list[str] | None = strawberry.field(
        default=None, description="Changes to any of these fields (names as in HcpcsRecord)."
    )
    code_prefix: str | None = strawberry.field(
        default=None, description="Codes starting with this text (case ignored)."
    )
    modifiers: bool | None = strawberry.field(
        default=None,
        description="true: modifiers only; false: procedure codes only; both when omitted.",
    )


def _difference(
    ctx: RequestContext, diff: history.Difference, release: str, old: str
) -> FieldDifference:
    def decoded(values: tuple[str, ...], where: str) -> list[CodedValue]:
        return [coded_value(ctx, diff.table, v, where) for v in values] if diff.table else []

    return FieldDifference(
        field=diff.field,
        before=", ".join(diff.before) or None,
        after=", ".join(diff.after) or None,
        before_values=list(diff.before),
        after_values=list(diff.after),
        before_decoded=decoded(diff.before, old),
        after_decoded=decoded(diff.after, release),
    )


def code_change(ctx: RequestContext, found: history.Change) -> CodeChange:
    build = ctx.build
    after = build.record(found.after) if found.after is not None else None
    old = found.from_release or found.to_release
    return CodeChange(
        code=found.code,
        is_modifier=found.is_modifier,
        kind=ChangeKind(found.kind),
        from_release=release_object(ctx, found.from_release) if found.from_release else None,
        to_release=release_object(ctx, found.to_release),
        before=build.record(found.before) if found.before is not None else None,
        after=after,
        action=after.action if after is not None else None,
        differences=[_difference(ctx, d, found.to_release, old) for d in found.differences],
    )


def check_fields(names: list[str] | None) -> None:
    unknown = sorted(set(names or ()) - set(history.FIELDS))
    if unknown:
        raise UserInputError(
            f"unknown field(s) {', '.join(unknown)}; fields that can change: "
            + ", ".join(history.FIELDS),
            argument="filter",
        )


def _matches(change: history.Change, given: ReleaseDiffFilter | None) -> bool:
    if given is None:
        return True
    if given.kinds and ChangeKind(change.kind) not in given.kinds:
        return False
    if given.modifiers is not None and change.is_modifier != given.modifiers:
        return False
    if given.code_prefix and not change.code.startswith(given.code_prefix.strip().upper()):
        return False
    if given.action_codes:
        action = change.after.action_code if change.after else None
        if action not in {a.strip().upper() for a in given.action_codes}:
            return False
    changed = {d.field for d in change.differences}
    return not given.fields or bool(changed & set(given.fields))


async def _diff(ctx: RequestContext, old: str, new: str) -> list[history.Change]:
    """Every change between two releases, kept per database file while the diff cache has
    room. Computed on the event loop a slice at a time: other requests go on meanwhile,
    and a request cut at its time limit (or whose client hangs up) stops computing."""
    diffs: BoundedCache[tuple[str, str], list[history.Change]] | None
    diffs = ctx.cache.diffs
    if diffs is None:
        # a diff of two recent releases is ~8 MB: up to half the cache each
        size = ctx.diff_cache_bytes
        diffs = ctx.cache.diffs = BoundedCache(size, largest=size // 2)
    found = diffs.get((old, new))
    if found is not None:
        return found
    before, after = await asyncio.gather(
        queries.release_rows(ctx, old), queries.release_rows(ctx, new)
    )
    releases = {r.id: r.effective_date for r in ctx.catalog.releases}
    found = []
    steps = history.diff_steps(before, after, (old, releases[old]), (new, releases[new]), DIFF_STEP)
    for part in steps:
        found.extend(part)
        await asyncio.sleep(0)
    diffs.put((old, new), found, sum(map(history.change_bytes, found)))
    return found


def release_diff(
    ctx: RequestContext,
    old: str,
    new: str,
    given: ReleaseDiffFilter | None,
    first: int | None,
    after: str | None,
) -> Connection[CodeChange]:
    old, new = ctx.release(old, argument="from"), ctx.release(new, argument="to")
    check_fields(given.fields if given else None)

    async def items(info: strawberry.Info) -> list[history.Change]:
        return [c for c in await _diff(ctx, old, new) if _matches(c, given)]

    # its cursors are offsets into this pair's list as this filter makes it
    source = ListSource(
        items, lambda c: code_change(ctx, c), release=f"{old}..{new}", kind="diff", definition=given
    )
    return Connection.of(source, first=first, after=after)
