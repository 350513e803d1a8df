"""Compiled plans against the full path on a small schema of odd cases: the path each
resolver is given below attributes, lists and lists of lists (plans build paths only where
a resolver reads them, schema/compiled.py), leaves a plan serializes by itself (Ints, enum
members) and lists of inputs that build themselves (a `from_input` hook)."""

from __future__ import annotations

import enum
from typing import Any

import strawberry
from strawberry.types.arguments import InputContext

from hcpcs_graph.schema.compiled import Compiled

SEEN: list[Any] = []  # what resolvers and hooks were given, in order


@strawberry.enum
class Colour(enum.Enum):
    RED = "red"
    BLUE = "blue"


@strawberry.type
class Leaf:
    n: int
    colour: Colour
    colours: list[Colour]
    ints: list[int]

    @strawberry.field
    def where(self, info: strawberry.Info) -> str:
        path, steps = info.path, []
        while path is not None:
            steps.append((path.key, path.typename))
            path = path.prev
        SEEN.append(steps)
        return ".".join(map(str, info.path.as_list()))


@strawberry.type
class Middle:
    leaf: Leaf
    leaves: list[Leaf]
    grid: list[list[Leaf]]
    maybe: Leaf | None


def _leaf(n: int) -> Leaf:
    return Leaf(n=n, colour=Colour.BLUE, colours=[Colour.RED, Colour.BLUE], ints=[1, 2])


@strawberry.input
class Item:
    s: str


def _item(cls: type, value: Any, context: InputContext) -> Any:
    SEEN.append(("hook", value, context.path))
    return cls(s=value["s"].upper())


Item.__strawberry_definition__.from_input = _item  # type: ignore[attr-defined]  # the hook


@strawberry.type
class Query:
    @strawberry.field
    def middle(self) -> Middle:
        return Middle(
            leaf=_leaf(1),
            leaves=[_leaf(2), _leaf(3)],
            grid=[[_leaf(4)], [_leaf(5), _leaf(6)]],
            maybe=None,
        )

    @strawberry.field
    def ints(self) -> list[int]:
        return [1, True, 3.0, 2**31 - 1]  # type: ignore[list-item]  # what Int serializes

    @strawberry.field
    def items(self, items: list[Item]) -> list[str]:
        return [i.s for i in items]

    @strawberry.field
    async def later(self, items: list[Item]) -> list[str]:
        return [i.s for i in items]


schema = strawberry.Schema(query=Query)


async def _both(query: str, variables: dict[str, Any] | None = None) -> None:
    """The plan answers as the full path does, its resolvers and hooks given the same."""
    compiled = Compiled(schema, 2**20)
    assert compiled.enabled, compiled.failed_checks
    SEEN.clear()
    full = await schema.execute(query, variable_values=variables)
    assert full.errors is None, full.errors
    seen_full = list(SEEN)
    compiled.learn(query, None)
    prepared = compiled.knows(query, None)
    assert prepared is not None
    SEEN.clear()
    assert await compiled.answer(prepared, variables, None) == full.data
    assert not compiled.fallbacks
    assert seen_full == SEEN


async def test_paths_below_attributes_and_lists() -> None:
    await _both(
        """{ middle { leaf { n where colour colours ints }
                      leaves { where colour } grid { where n } maybe { where }
                      other: leaf { where __typename } }
             ints }"""
    )


async def test_lists_of_inputs_that_build_themselves() -> None:
    await _both(
        "query($i: [Item!]!) { items(items: $i) later(items: $i) }", {"i": [{"s": "a"}, {"s": "b"}]}
    )
