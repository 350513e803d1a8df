"""node(id:): the object an id names, in the view the id was read from (schema/ids.py)."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from hcpcs_graph.db.payments import pfs_tables
from hcpcs_graph.db.payments.dmepos_tables import CATEGORIES
from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.ids import not_a_node_id, parse_node_id
from hcpcs_graph.schema.scalars import parse_date
from hcpcs_graph.schema.types import facility, payments, physician
from hcpcs_graph.schema.types.payments import PaymentRelease, payment_release
from hcpcs_graph.schema.types.release import release_object
from hcpcs_graph.schema.types.tables import TYPE_TABLES, coded_value, processing_note

if TYPE_CHECKING:
    import strawberry

    from hcpcs_graph.schema.context import Context

_RELEASE = re.compile(r"\d{4}-\d{2}")
_PAYMENT_RELEASE = re.compile(r"[a-z]{2,8}-\d{4}-\d{2}")  # the catalog says if it is loaded
_NUMBER = re.compile(r"0|[1-9][0-9]{0,5}")  # as written by str(int)
_NOT_OURS = object()


async def find_node(info: strawberry.Info, value: str) -> Any:
    """The object, or None when its release lacks it (as `hcpcsCode` answers an unknown
    code); a UserInputError for text that is no id of ours or names a release not loaded."""
    ctx: Context = info.context
    type_name, parts = parse_node_id(value)
    if type_name == "PaymentRelease":
        return _payment_release(ctx, value, parts)
    if type_name in _SCHEDULE_VALUES:
        return await _schedule_value(ctx, value, type_name, parts)
    if type_name in ("PfsStatusCode", "DmeposCategory"):
        return _documented_value(ctx, value, type_name, parts)
    if type_name in TYPE_TABLES and len(parts) == 1:
        parts = [ctx.catalog.newest or "", *parts]  # made before ids named the release
    if not parts or not _RELEASE.fullmatch(parts[0]):
        raise not_a_node_id(value)
    release, rest = parts[0], parts[1:]
    if release not in ctx.catalog.release_ids:
        loaded = ", ".join(r.id for r in ctx.catalog.releases)
        raise UserInputError(
            f"this id is of release {release}, which is not loaded; loaded releases: {loaded}",
            argument="id",
        )
    found = await _find(ctx, type_name, release, rest)
    if found is _NOT_OURS:
        raise not_a_node_id(value)
    return found


async def _find(ctx: Context, type_name: str, release: str, rest: list[str]) -> Any:
    if type_name == "Release" and not rest:
        return release_object(ctx, release)
    if type_name in ("HcpcsCode", "Modifier") and len(rest) in (1, 2):
        as_of = rest[1] if len(rest) == 2 else None
        if as_of is not None and not _is_date(as_of):
            return _NOT_OURS
        row = await ctx.loaders.code.load((release, type_name == "Modifier", rest[0]))
        return None if row is None else ctx.build.record(row, as_of)
    if type_name == "ProcessingNote" and len(rest) == 1:
        if not _NUMBER.fullmatch(rest[0]):
            return _NOT_OURS
        number = int(rest[0])
        if not await _has_note(ctx, number, release):
            return None
        return processing_note(ctx, number, release)
    if type_name in TYPE_TABLES and rest:
        table, code = TYPE_TABLES[type_name], ":".join(rest)
        if not _has_value(ctx, table, code, release):
            return None
        return coded_value(ctx, table, code, release)
    return _NOT_OURS


# decoded values of one schedule release, by type: the kind of release their ids name
_SCHEDULE_VALUES = {"OppsStatusIndicator": "opps", "AscPaymentIndicator": "asc", "Apc": "opps"}


async def _schedule_value(ctx: Context, value: str, type_name: str, parts: list[str]) -> Any:
    """An OPPS status indicator, ASC payment indicator or APC, as read in one schedule
    release: its id names the release and the code."""
    if len(parts) != 2 or not _PAYMENT_RELEASE.fullmatch(parts[0]):
        raise not_a_node_id(value)
    schedule, code = parts
    row = ctx.catalog.payment(schedule)
    if row is None:
        raise UserInputError(
            f"this id is of schedule release {schedule}, which is not loaded", argument="id"
        )
    if row.kind != _SCHEDULE_VALUES[type_name]:
        raise not_a_node_id(value)
    if type_name == "OppsStatusIndicator":
        return facility.one_opps_status_indicator(ctx, code, schedule)
    if type_name == "Apc":
        return await facility.one_apc(ctx, code, schedule)
    indicators = await facility.asc_payment_indicators(ctx, schedule)
    return next((i for i in indicators if i.code == code), None)


def _documented_value(ctx: Context, value: str, type_name: str, parts: list[str]) -> Any:
    """A value of a table CMS documents once for every release (RVU25A's status codes,
    DMEREAD's categories); a status code's id names the PFS release its `codes` read."""
    if type_name == "DmeposCategory" and len(parts) == 1 and parts[0] in CATEGORIES:
        return payments.dmepos_category(ctx, parts[0])
    if type_name == "PfsStatusCode" and len(parts) == 2 and parts[1] in pfs_tables.STATUS_CODES:
        release = parts[0] or None
        if release is not None and getattr(ctx.catalog.payment(release), "kind", None) != "pfs":
            raise UserInputError(
                f"this id is of schedule release {release}, which is not loaded", argument="id"
            )
        return physician.pfs_status_code(ctx, parts[1], release)
    raise not_a_node_id(value)


def _payment_release(ctx: Context, value: str, parts: list[str]) -> PaymentRelease | None:
    """A payment release's id names it alone (asp-2025-01): it is no HCPCS release."""
    if len(parts) != 1 or not _PAYMENT_RELEASE.fullmatch(parts[0]):
        raise not_a_node_id(value)
    row = ctx.catalog.payment(parts[0])
    if row is None:
        loaded = ", ".join(p.id for p in ctx.catalog.payments) or "none"
        raise UserInputError(
            f"this id is of payment release {parts[0]}, which is not loaded; loaded payment "
            f"releases: {loaded}",
            argument="id",
        )
    return payment_release(ctx, row)


def _is_date(text: str) -> bool:
    try:
        return parse_date(text) == text
    except ValueError:
        return False


def _has_value(ctx: Context, table: str, code: str, release: str) -> bool:
    """CMS's table has it, or the release carries it though the table lacks it."""
    if code in ctx.catalog.tables.get(table, {}):
        return True
    meta = ctx.catalog.release(release)
    return meta is not None and code in meta.unknown_values.get(table, {})


async def _has_note(ctx: Context, number: int, release: str) -> bool:
    """The release's notes file has it, or its codes or modifiers carry it (a release
    loaded without notes has their numbers only)."""
    if (release, number) in ctx.catalog.notes:
        return True
    for is_modifier in (False, True):
        codes = CodeSet(release=release, is_modifier=is_modifier, link_field="processing_note")
        if await ctx.loaders.count.load((codes, str(number))):
            return True
    return False
