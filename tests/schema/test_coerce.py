"""Variables coerced by schema/coerce.py are what graphql-core's get_variable_values makes
of them, or left to it: checked on the claim's input, the largest variable clients send."""

from __future__ import annotations

import copy
from typing import Any

import pytest
from graphql import OperationDefinitionNode, get_variable_values, parse

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
