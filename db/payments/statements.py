"""What the payment tables' statements share: their rows are named tuples read by column
name, and most are fetched for many codes of one release in one statement."""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple, TypeVar

from hcpcs_graph.db.queries import Executor

R = TypeVar("R", bound=NamedTuple)


def columns(row_type: type[NamedTuple]) -> str:
    return ", ".join(row_type._fields)


def marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


async def rows_by_code(
    ex: Executor, row_type: type[R], table: str, release: str, codes: Sequence[str]
) -> list[R]:
    """A table's rows of the codes in one release, in file order per code."""
    rows = await ex.execute(
        f"SELECT {columns(row_type)} FROM {table} WHERE release = ?"
        f" AND code IN ({marks(codes)}) ORDER BY code, row",
        [release, *codes],
    )
    return [row_type._make(row) for row in rows]
