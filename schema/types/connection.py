"""Relay connections of codes, with `nodes` and `totalCount` besides `edges` and `pageInfo`.

A connection holds what it lists (a `CodeSet` and link value) and fetches its page
through the request's loaders only when a field asks, so `totalCount` alone costs one
count and `edges`, `nodes` and `pageInfo` share one page query.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any, Generic, TypeVar

import strawberry
from strawberry import Private

from hcpcs_graph.db.queries import CodeSet, Row
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.columns import page_width
from hcpcs_graph.schema.errors import UserInputError

T = TypeVar("T")

DEFAULT_FIRST = 20
MAX_FIRST = 500


def check_first(first: int | None) -> int:
    if first is None:
        return DEFAULT_FIRST
    if not 1 <= first <= MAX_FIRST:
        raise UserInputError(
            f"first must be between 1 and {MAX_FIRST}, got {first}", argument="first"
        )
    return first


@strawberry.type(description="Where a page stands in its connection.")
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="Whether items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="Whether this page was asked for `after` a cursor."
    )
    start_cursor: str | None = strawberry.field(
        description="The cursor of the page's first item; null for an empty page."
    )
    end_cursor: str | None = strawberry.field(
        description="The cursor of the page's last item, for `after`; null for an empty page."
    )


@strawberry.type(description="An item of a page, with its cursor.")
class Edge(Generic[T]):
    cursor: str = strawberry.field(
        description="Where the item stands: pass it as `after` for the items after it."
    )
    node: T = strawberry.field(description="The item.")


@functools.lru_cache(maxsize=1024)
def _code_list(codes: CodeSet, value: str | None) -> ids.ListKey:
    """A list of codes is its CodeSet and link value (a search ranks by offset, so its
    cursors must not page another search or filter)."""
    return ids.list_key(
        codes.release, "modifiers" if codes.is_modifier else "codes", (codes, value)
    )


class CodeSource:
    """Codes from the database, a page at a time through the request's loaders. Its
    cursors are codes (the page's last), or offsets into a search's ranking."""

    def __init__(self, codes: CodeSet, value: str | None, convert: Callable[[Row], Any]):
        self.codes = codes
        self.value = value
        self.convert = convert

    @property
    def list_key(self) -> ids.ListKey:
        return _code_list(self.codes, self.value)

    def position(self, after: str) -> str | int:
        if self.codes.search is not None:
            return ids.parse_offset(after, self.list_key)
        return ids.parse_code_cursor(after, self.list_key)

    async def page(
        self, info: strawberry.Info, first: int, after: str | int | None
    ) -> tuple[list[Any], bool, Callable[[], list[str]]]:
        key = (self.codes, self.value, first + 1, after, page_width(info))
        rows = await info.context.loaders.page.load(key)
        rows, more = rows[:first], len(rows) > first

        def cursors() -> list[str]:  # only edges and pageInfo ask
            of = self.list_key
            if self.codes.search is not None:
                start = int(after or 0)
                return [ids.cursor(of, start + i) for i in range(1, len(rows) + 1)]
            return [ids.cursor(of, row[2]) for row in rows]

        convert = self.convert
        return [convert(row) for row in rows], more, cursors

    async def count(self, info: strawberry.Info) -> int:
        count: int = await info.context.loaders.count.load((self.codes, self.value))
        return count


class ListSource:
    """A list computed whole (e.g. a release diff), paged in memory by offset. Its cursors
    name the list: its release(s), kind and `definition` (see ids.list_key)."""

    def __init__(
        self,
        items: Callable[[strawberry.Info], Awaitable[list[Any]]],
        convert: Callable[[Any], Any],
        *,
        release: str,
        kind: str,
        definition: object,
    ) -> None:
        self._items = items
        self._found: list[Any] | None = None
        self.convert = convert
        self.list_key = ids.list_key(release, kind, definition)

    def position(self, after: str) -> int:
        return ids.parse_offset(after, self.list_key)

    async def items(self, info: strawberry.Info) -> list[Any]:
        if self._found is None:
            self._found = await self._items(info)
        return self._found

    async def page(
        self, info: strawberry.Info, first: int, after: str | int | None
    ) -> tuple[list[Any], bool, Callable[[], list[str]]]:
        items = await self.items(info)
        start = int(after or 0)
        chosen = items[start : start + first]

        def cursors() -> list[str]:
            return [ids.cursor(self.list_key, start + i) for i in range(1, len(chosen) + 1)]

        return [self.convert(c) for c in chosen], start + first < len(items), cursors

    async def count(self, info: strawberry.Info) -> int:
        return len(await self.items(info))


@strawberry.type(description="A page of a list, in the Relay connection form.")
class Connection(Generic[T]):
    source: Private[CodeSource | ListSource]
    first: Private[int]
    after: Private[str | int | None]  # decoded: a code, or an offset

    @classmethod
    def of(
        cls, source: CodeSource | ListSource, *, first: int | None, after: str | None
    ) -> Connection[T]:
        """Every connection is made here: `after` is checked against the source's list
        (schema.ids) before any work is done, whichever path (full or compiled) resolves."""
        decoded = source.position(after) if after is not None else None
        return cls(source=source, first=check_first(first), after=decoded)

    @classmethod
    def of_codes(
        cls,
        codes: CodeSet,
        convert: Callable[[Row], T],
        *,
        first: int | None,
        after: str | None,
        value: str | None = None,
    ) -> Connection[T]:
        return cls.of(CodeSource(codes, value, convert), first=first, after=after)

    async def _page(self, info: strawberry.Info) -> tuple[list[T], bool, Callable[[], list[str]]]:
        return await self.source.page(info, self.first, self.after)

    @strawberry.field(description="The page's items, each with its cursor.")
    async def edges(self, info: strawberry.Info) -> list[Edge[T]]:
        items, _, cursors = await self._page(info)
        return [Edge(cursor=c, node=item) for c, item in zip(cursors(), items, strict=True)]

    @strawberry.field(description="The page's items, without cursors.")
    async def nodes(self, info: strawberry.Info) -> list[T]:
        items, _, _ = await self._page(info)
        return items

    @strawberry.field(description="Where the page stands, and the cursor for the next.")
    async def page_info(self, info: strawberry.Info) -> PageInfo:
        _, more, page_cursors = await self._page(info)
        cursors = page_cursors()
        return PageInfo(
            has_next_page=more,
            has_previous_page=self.after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    @strawberry.field(description="How many items the whole list holds, over all pages.")
    async def total_count(self, info: strawberry.Info) -> int:
        return await self.source.count(info)
