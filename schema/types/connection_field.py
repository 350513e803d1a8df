"""The codes or modifiers field (`filter`, `search`, `release`, `first`, `after`) that the
root, a release, a code-table value and a processing note each have, made in one place.

Each field takes the arguments it offers, in that order; what it lists comes from its
parent: the release it belongs to, and the link (field, value) its codes carry, if any.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any, ForwardRef

import strawberry

from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.schema.types.arguments import After, Filter, First, Search
from hcpcs_graph.schema.types.connection import Connection
from hcpcs_graph.schema.types.filters import HcpcsCodeFilter, code_filter, search_query

# records.py imports the modules making these fields (their types have fields of theirs):
# Strawberry finds HcpcsCode and Modifier there when it builds the schema.
RECORDS = "hcpcs_graph.schema.types.records"

# (parent) -> (its release, or None for the `release` argument's; link field; link value)
Home = Callable[[Any], tuple[str | None, str | None, str | None]]


def _root(parent: object) -> tuple[None, None, None]:
    return None, None, None


def _parameter(name: str, annotation: object, default: object = None) -> inspect.Parameter:
    kind = inspect.Parameter.POSITIONAL_OR_KEYWORD
    return inspect.Parameter(name, kind, annotation=annotation, default=default)


def code_connection(
    description: str,
    *,
    modifiers: bool,
    home: Home = _root,
    search: bool = False,
    release: object = None,
) -> Any:
    """A field listing a release's codes (or modifiers), filtered, full-text searched when it
    offers `search`; `release` is the annotation of its `release` argument, if it has one."""

    async def resolve(
        self: Any,
        info: strawberry.Info,
        filter: HcpcsCodeFilter | None = None,
        search: str | None = None,
        release: str | None = None,
        first: int | None = None,
        after: str | None = None,
    ) -> Connection[Any]:
        ctx = info.context
        home_release, link_field, value = home(self)
        if release is not None or home_release is None:
            home_release = ctx.release(release)
        match, exact = search_query(search) if search is not None else (None, None)
        codes = CodeSet(
            release=home_release,
            is_modifier=modifiers,
            filter=code_filter(filter),
            link_field=link_field,
            search=match,
            exact_code=exact,
        )
        return Connection.of_codes(codes, ctx.build.record, first=first, after=after, value=value)

    offered: list[tuple[str, object]] = [("filter", Filter)]
    if search:
        offered.append(("search", Search))
    if release is not None:
        offered.append(("release", release))
    offered += [("first", First), ("after", After)]
    item = strawberry.lazy(RECORDS).resolve_forward_ref(
        ForwardRef("Modifier" if modifiers else "HcpcsCode")
    )
    # what Strawberry reads of the resolver: these arguments, and the list's type
    resolve.__signature__ = inspect.Signature(  # type: ignore[attr-defined]  # read by inspect.signature
        [
            _parameter("self", inspect.Parameter.empty, inspect.Parameter.empty),
            _parameter("info", strawberry.Info, inspect.Parameter.empty),
            *(_parameter(name, annotation) for name, annotation in offered),
        ],
        return_annotation=Connection[item],  # type: ignore[valid-type]  # a type made at runtime
    )
    return strawberry.field(resolver=resolve, description=description)
