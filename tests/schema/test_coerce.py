"""Variables coerced by schema/coerce.py are what graphql-core's get_variable_values makes
of them, or left to it: checked on the claim's input, the largest variable clients send."""

from __future__ import annotations

import copy
import random
from typing import Any

import pytest
from graphql import (
    GraphQLArgument,
    GraphQLBoolean,
    GraphQLEnumType,
    GraphQLField,
    GraphQLFloat,
    GraphQLID,
    GraphQLInputField,
    GraphQLInputObjectType,
    GraphQLInt,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLScalarType,
    GraphQLSchema,
    GraphQLString,
    OperationDefinitionNode,
    Undefined,
    get_variable_values,
    parse,
)

from hcpcs_graph.schema import build_schema
from hcpcs_graph.schema.coerce import Variables
from hcpcs_graph.schema.private_api import graphql_schema

QUERY = """query Check($lines: [ClaimLineInput!]!, $first: Int, $filter: HcpcsCodeFilter) {
  checkClaimLines(lines: $lines) { line }
  hcpcsCodes(first: $first, filter: $filter) { totalCount }
}"""
LINE = {
    "code": "J9035",
    "dateOfService": "2025-11-03",
    "modifiers": ["JW", "KX"],
    "units": "10",
    "ndc": "50242-0060-01",
    "ndcUnits": "0.5",
    "state": "NY",
    "locality": "13202-01",
    "setting": "OUTPATIENT_HOSPITAL",
}
PLAIN = [
    {"lines": [LINE], "first": 5, "filter": None},
    {"lines": [{"code": "E0100", "dateOfService": "2026-01-05"}], "first": None, "filter": {}},
    {"lines": [LINE, {**LINE, "units": None, "ndc": None}], "first": 0, "filter": None},
    {"lines": [], "first": 1, "filter": {"codePrefix": "J9"}},
    {"lines": [{**LINE, "modifiers": []}], "first": 1, "filter": None},
]
LEFT = [
    {"lines": LINE, "first": 1, "filter": None},  # one line, not a list: coerced as a list
    {"lines": [LINE]},  # absent nullable variables
    {"lines": [{**LINE, "dateOfService": "2025-02-30"}], "first": 1, "filter": None},
    {"lines": [{**LINE, "setting": "HOME"}], "first": 1, "filter": None},
    {"lines": [{**LINE, "extra": 1}], "first": 1, "filter": None},
    {"lines": [{"code": "J9035"}], "first": 1, "filter": None},
    {"lines": [{**LINE, "modifiers": None}], "first": 1, "filter": None},
    {"lines": [{**LINE, "modifiers": ["JW", None]}], "first": 1, "filter": None},
    {"lines": [None], "first": 1, "filter": None},
    {"lines": None, "first": 1, "filter": None},
    {"lines": [LINE], "first": "5", "filter": None},
    {"lines": [LINE], "first": 2**31, "filter": None},
    {"lines": [{**LINE, "units": "ten"}], "first": 1, "filter": None},
    {"lines": [{**LINE, "units": 2.5}], "first": 1, "filter": None},  # amounts are text
    {"lines": [LINE], "first": 1, "filter": {"nope": 1}},
    {"lines": (LINE,), "first": 1, "filter": None},
]


@pytest.fixture(scope="module")
def variables() -> tuple[Any, Any, Variables]:
    graphql = graphql_schema(build_schema())
    operation = parse(QUERY).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    definitions = operation.variable_definitions or ()
    return graphql, definitions, Variables(graphql, definitions)


@pytest.mark.parametrize("given", PLAIN)
def test_plain_values_are_coerced_as_graphql_core_does(variables, given) -> None:
    graphql, definitions, fast = variables
    full = get_variable_values(graphql, definitions, copy.deepcopy(given))
    mine = fast.coerce(given)
    assert not isinstance(full, list) and mine is not None
    assert mine.coerced == full.coerced
    assert list(mine.sources) == list(full.sources)
    for name, source in mine.sources.items():
        assert source.value is given[name]
        assert str(source.signature.type) == str(full.sources[name].signature.type)


@pytest.mark.parametrize("given", LEFT)
def test_anything_else_is_left_to_graphql_core(variables, given) -> None:
    _, _, fast = variables
    assert fast.coerce(given) is None


def test_a_default_or_a_deep_type_is_never_compiled(variables) -> None:
    graphql, _, _ = variables
    operation = parse("query($first: Int = 3) { hcpcsCodes(first: $first) { totalCount } }")
    assert isinstance(operation.definitions[0], OperationDefinitionNode)
    defaults = Variables(graphql, operation.definitions[0].variable_definitions or ())
    assert defaults.compiled is None and defaults.coerce({"first": 3}) is None
    deep = "[" * 20 + "String" + "]" * 20
    operation = parse(f"query($x: {deep}) {{ __typename }}")
    assert isinstance(operation.definitions[0], OperationDefinitionNode)
    assert Variables(graphql, operation.definitions[0].variable_definitions or ()).compiled is None


# A small schema with what coercion can meet: nested input objects and lists of lists, out
# names, defaults (null ones too), enums (one valued None), a scalar that returns None,
# returns Undefined or raises, Int bounds, a custom out_type.
def _odd(value: Any) -> Any:
    if value == "raise":
        raise ValueError(value)
    return (
        {"none": None, "undefined": Undefined}.get(value, value)
        if isinstance(value, str)
        else value
    )


def _odd_schema() -> tuple[Any, Any]:
    odd = GraphQLScalarType("Odd", coerce_input_value=_odd)
    colour = GraphQLEnumType("Colour", {"RED": "r", "BLUE": "b", "NONE": None})
    inner = GraphQLInputObjectType("Inner", {
        "a": GraphQLInputField(GraphQLNonNull(GraphQLInt)),
        "b": GraphQLInputField(GraphQLString, default_value="default"),
        "c": GraphQLInputField(GraphQLList(GraphQLNonNull(colour)), out_name="see"),
        "d": GraphQLInputField(GraphQLNonNull(GraphQLFloat), default_value=1.5),
        "e": GraphQLInputField(odd),
        "f": GraphQLInputField(GraphQLBoolean, default_value=None),
        "g": GraphQLInputField(GraphQLID),
    })  # fmt: skip
    outer = GraphQLInputObjectType("Outer", lambda: {
        "inner": GraphQLInputField(inner),
        "inners": GraphQLInputField(GraphQLList(GraphQLList(inner))),
        "x": GraphQLInputField(GraphQLNonNull(GraphQLString)),
    }, out_type=lambda d: ("out", tuple(sorted(d.items(), key=str))))  # fmt: skip
    arguments = {
        "o": outer, "l": GraphQLList(GraphQLNonNull(outer)), "i": GraphQLInt,
        "s": GraphQLString, "c": colour, "odd": odd, "ll": GraphQLList(GraphQLList(GraphQLInt)),
    }  # fmt: skip
    query = GraphQLObjectType("Query", {"f": GraphQLField(GraphQLString, args={
        name: GraphQLArgument(type_) for name, type_ in arguments.items()
    })})  # fmt: skip
    schema = GraphQLSchema(query)
    operation = parse(
        "query($o: Outer, $l: [Outer!]!, $i: Int, $s: String!, $c: Colour, $odd: Odd,"
        " $ll: [[Int]]) { f }"
    ).definitions[0]
    assert isinstance(operation, OperationDefinitionNode)
    return schema, operation.variable_definitions


def _typed(value: Any) -> Any:
    """A value with the class of everything in it, to compare 1 and 1.0 and True apart."""
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return (type(value).__name__, [_typed(v) for v in value])
    return (type(value).__name__, repr(value))


def test_random_variables_match_graphql_core() -> None:
    """20,000 random inputs of the odd schema: whatever the coercers take, graphql-core
    takes too, and makes the same values of (classes included)."""
    schema, definitions = _odd_schema()
    fast = Variables(schema, definitions)
    assert fast.compiled is not None
    rng = random.Random(1)
    some = rng.choice

    def inner() -> dict[str, Any]:
        found: dict[str, Any] = {"a": some([1, 2, 1.0, 2**31 - 1, -5, 7.0, True, "1"])}
        for key, values in {
            "b": [None, "s"], "c": [["RED"], ["RED", "BLUE"], None, [], ["NONE"], "RED"],
            "d": [2, 2.5, "2"], "e": ["v", "none", "undefined", "raise", None, 5, [1]],
            "f": [True, None, 0], "g": ["id", 5, None, 1.5],
        }.items():  # fmt: skip
            if rng.random() < 0.5:
                found[key] = some(values)
        if rng.random() < 0.01:
            found["unknown"] = 1
        return found

    def outer() -> dict[str, Any]:
        found: dict[str, Any] = {"x": some(["x", "y", 1])}
        if rng.random() < 0.5:
            found["inner"] = some([inner(), None])
        if rng.random() < 0.5:
            found["inners"] = some([[[inner()]], [None, [inner(), None]], [], None])
        return found

    draws = {
        "o": lambda: some([outer(), None]),
        "l": lambda: [outer() for _ in range(rng.randint(0, 3))],
        "i": lambda: some([None, 0, 5.0, -(2**31), 2**31]),
        "s": lambda: some(["", "x", None]),
        "c": lambda: some(["RED", "NONE", None, "GREEN"]),
        "odd": lambda: some(["v", "none", "undefined", "raise", None, 3, {"a": 1}]),
        "ll": lambda: some([[[1, None], None], [[1]], [], None, [[1.0, 2]]]),
    }
    taken = 0
    for _ in range(20_000):
        given = {name: draw() for name, draw in draws.items() if rng.random() < 0.995}
        mine = fast.coerce(given)
        if mine is None:
            continue
        taken += 1
        full = get_variable_values(schema, definitions, given)
        assert not isinstance(full, list), (given, full)
        assert _typed(mine.coerced) == _typed(full.coerced), given
        assert list(mine.sources) == list(full.sources)
    assert taken > 1_000  # the plain case is common enough to have been compared
