"""Relay connections of codes, with `nodes` and `totalCount` besides `edges` and `pageInfo`.

A connection holds what it lists (a `CodeSet` and link value) and fetches its page
through the request's loaders only when a field asks, so `totalCount` alone costs one
count and `edges`, `nodes` and `pageInfo` share one page query.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

import strawberry
from strawberry import Private

from db.queries import CodeSet
from schema import ids
from schema.errors import UserInputError

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
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


@strawberry.type
class Edge(Generic[T]):
    cursor: str
    node: T


@strawberry.type(description="A page of a list, in the Relay connection form.")
class Connection(Generic[T]):
    codes: Private[CodeSet]
    value: Private[str | None]
    first: Private[int]
    after: Private[str | None]  # decoded: a code, or an offset for a search
    convert: Private[Callable[[tuple], T]]

    @classmethod
    def of(
        cls,
        codes: CodeSet,
        convert: Callable[[tuple], T],
        *,
        first: int | None,
        after: str | None,
        value: str | None = None,
    ) -> Connection[T]:
        kind = "o" if codes.search is not None else "c"
        decoded = ids.parse_cursor(after, kind) if after is not None else None
        return cls(
            codes=codes, value=value, first=check_first(first), after=decoded, convert=convert
        )

    async def _rows(self, info: strawberry.Info) -> tuple[list[tuple], bool]:
        key = (self.codes, self.value, self.first + 1, self.after)
        rows = await info.context.loaders.page.load(key)
        return rows[: self.first], len(rows) > self.first

    def _cursors(self, rows: list[tuple]) -> list[str]:
        if self.codes.search is not None:
            start = int(self.after or 0)
            return [ids.cursor("o", str(start + i)) for i in range(1, len(rows) + 1)]
        return [ids.cursor("c", row[2]) for row in rows]

    @strawberry.field
    async def edges(self, info: strawberry.Info) -> list[Edge[T]]:
        rows, _ = await self._rows(info)
        convert = self.convert
        return [
            Edge(cursor=c, node=convert(row))
            for c, row in zip(self._cursors(rows), rows, strict=True)
        ]

    @strawberry.field
    async def nodes(self, info: strawberry.Info) -> list[T]:
        rows, _ = await self._rows(info)
        return [self.convert(row) for row in rows]

    @strawberry.field
    async def page_info(self, info: strawberry.Info) -> PageInfo:
        rows, more = await self._rows(info)
        cursors = self._cursors(rows)
        return PageInfo(
            has_next_page=more,
            has_previous_page=self.after is not None,
            start_cursor=cursors[0] if cursors else None,
            end_cursor=cursors[-1] if cursors else None,
        )

    @strawberry.field(description="How many items the whole list holds, over all pages.")
    async def total_count(self, info: strawberry.Info) -> int:
        return await info.context.loaders.count.load((self.codes, self.value))
