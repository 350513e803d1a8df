"""The schema documents itself: every type, field, argument, input field and enum value says
what it is (graphql-schema-linter's description rules), arguments say their defaults and
limits, dates name their spec, and an unknown release is refused wherever one can be named."""

from __future__ import annotations

import re

import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLScalarType,
    build_schema,
    get_named_type,
    is_specified_scalar_type,
)

from hcpcs_graph.schema import build_schema as build_hcpcs_schema
from hcpcs_graph.schema.query import TABLE_FIELDS
from hcpcs_graph.schema.types.connection import DEFAULT_FIRST, MAX_FIRST
from hcpcs_graph.schema.types.tables import TABLE_TYPES
from tests.conftest import ROOT, Run

schema = build_hcpcs_schema()  # the package builds none at import

# what clients see: the SDL as printed, read back
BUILT = build_schema(schema.as_str())
TYPES = {
    name: t
    for name, t in BUILT.type_map.items()
    if not name.startswith("__") and not is_specified_scalar_type(t)
}


def _arguments():
    """(type, field, argument name, argument) for every argument of every field."""
    for type_name, type_ in TYPES.items():
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            for field_name, field in type_.fields.items():
                for arg_name, arg in field.args.items():
                    yield type_name, field_name, arg_name, arg


def test_everything_has_a_description() -> None:
    missing = []
    for type_name, type_ in TYPES.items():
        if not (type_.description or "").strip():
            missing.append(type_name)  # types-have-descriptions
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType | GraphQLInputObjectType):
            for field_name, field in type_.fields.items():  # fields-, input-object-values-
                if not (field.description or "").strip():
                    missing.append(f"{type_name}.{field_name}")
        if isinstance(type_, GraphQLEnumType):
            for value_name, value in type_.values.items():  # enum-values-have-descriptions
                if not (value.description or "").strip():
                    missing.append(f"{type_name}.{value_name}")
    for type_name, field_name, arg_name, arg in _arguments():  # arguments-have-descriptions
        if not (arg.description or "").strip():
            missing.append(f"{type_name}.{field_name}({arg_name}:)")
    assert len(TYPES) > 30
    assert missing == []


def test_paging_and_release_arguments_state_their_default() -> None:
    firsts, releases = 0, 0
    for where, field, name, arg in _arguments():
        if name == "first":
            firsts += 1
            assert f"{DEFAULT_FIRST} when omitted" in arg.description, (where, field)
            assert f"at most {MAX_FIRST}" in arg.description, (where, field)
        if name == "release":
            releases += 1
            assert "when omitted" in arg.description.lower(), (where, field)
            assert "BAD_USER_INPUT" in arg.description, (where, field)
    assert firsts >= 20 and releases >= 40


def test_dates_name_their_specification() -> None:
    sdl = schema.as_str()
    assert 'scalar Date @specifiedBy(url: "https://' in sdl
    assert 'scalar DateTime @specifiedBy(url: "https://' in sdl
    assert BUILT.type_map["Date"].specified_by_url.endswith("#section-5.6")
    assert BUILT.type_map["DateTime"].specified_by_url.endswith("#section-5.6")


def test_readme_maps_every_custom_scalar_for_codegen() -> None:
    """README's GraphQL Code Generator config is the one tests/e2e/test_clients.py runs."""
    root = ROOT
    readme = (root / "README.md").read_text()
    block = re.search(r"```yaml\n(.*?strictScalars.*?)```", readme, re.S)
    assert block is not None
    tested = (root / "tests" / "clients" / "codegen.yml").read_text()
    custom = sorted(n for n, t in TYPES.items() if isinstance(t, GraphQLScalarType))
    assert custom == ["Date", "DateTime", "Decimal"]
    for name in custom:
        assert f"        {name}: string\n" in block.group(1)
        assert f"        {name}: string\n" in tested


def test_coded_fields_have_their_concrete_type() -> None:
    """A field whose values all come from one code table is typed by it; only a field
    difference's values may come from any table."""
    generic = sorted(
        f"{name}.{field_name}"
        for name, type_ in TYPES.items()
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
        for field_name, field in type_.fields.items()
        if get_named_type(field.type).name == "CodedValue"
    )
    assert generic == ["FieldDifference.afterDecoded", "FieldDifference.beforeDecoded"]
    assert str(BUILT.type_map["CodeChange"].fields["action"].type) == "ActionCode"


async def test_code_change_action_is_an_action_code(run: Run) -> None:
    data = await run(
        """{ releaseDiff(from: "2019-01", to: "2020-01", first: 3, filter: {kinds: [ADDED]}) {
              nodes { code action { __typename code description codes(first: 1) { totalCount } } }
            } }"""
    )
    nodes = data["releaseDiff"]["nodes"]
    assert len(nodes) == 3
    for node in nodes:
        assert node["action"]["__typename"] == "ActionCode"
        assert node["action"]["code"] == "A"
        assert node["action"]["description"] and node["action"]["codes"]["totalCount"] > 0


UNKNOWN = "1999-01"


def _release_cases() -> dict[tuple[str, str, str], str]:
    """(type, field, argument) -> a query naming the unknown release there."""
    bad = f'"{UNKNOWN}"'
    cases = {
        ("Query", "hcpcsCode", "release"): f'{{ hcpcsCode(code: "G6002", release: {bad}) {{ code }} }}',
        ("Query", "modifier", "release"): f'{{ modifier(code: "25", release: {bad}) {{ code }} }}',
        ("Query", "hcpcsCodes", "release"): f"{{ hcpcsCodes(release: {bad}) {{ totalCount }} }}",
        ("Query", "modifiers", "release"): f"{{ modifiers(release: {bad}) {{ totalCount }} }}",
        ("Query", "release", "name"): f"{{ release(name: {bad}) {{ name }} }}",
        ("Query", "betosFamilies", "release"): f"{{ betosFamilies(release: {bad}) {{ code }} }}",
        ("Query", "processingNote", "release"): f"{{ processingNote(number: 1, release: {bad}) {{ text }} }}",
        ("Query", "processingNotes", "release"): f"{{ processingNotes(release: {bad}) {{ text }} }}",
        ("Query", "releaseDiff", "from"): f'{{ releaseDiff(from: {bad}, to: "2026-01") {{ totalCount }} }}',
        ("Query", "releaseDiff", "to"): f'{{ releaseDiff(from: "2025-10", to: {bad}) {{ totalCount }} }}',
    }  # fmt: skip
    for table, (list_name, one_name) in TABLE_FIELDS.items():
        cases["Query", list_name, "release"] = f"{{ {list_name}(release: {bad}) {{ code }} }}"
        cases["Query", one_name, "release"] = (
            f'{{ {one_name}(code: "X", release: {bad}) {{ code }} }}'
        )
        for field in ("codes", "modifiers"):
            cases[TABLE_TYPES[table].__name__, field, "release"] = (
                f'{{ {list_name}(release: "2026-01") {{ {field}(release: {bad}) {{ totalCount }} }} }}'
            )
    return cases


RELEASE_CASES = _release_cases()
# arguments naming a payment schedule release, not a HCPCS one: tests/schema/test_facility.py
PAYMENT_RELEASE_ARGUMENTS = {("Query", "paymentChanges", "from"), ("Query", "paymentChanges", "to")}


def test_every_argument_naming_a_release_is_tested() -> None:
    named = {
        (where, field, name)
        for where, field, name, _ in _arguments()
        if isinstance(TYPES[where], GraphQLObjectType)  # interfaces: through their types
        and (name in ("release", "from", "to") or (where, field) == ("Query", "release"))
    }
    assert named - PAYMENT_RELEASE_ARGUMENTS == set(RELEASE_CASES)


@pytest.mark.parametrize("where", sorted(RELEASE_CASES), ids=".".join)
async def test_an_unknown_release_is_bad_user_input(run: Run, where: tuple) -> None:
    result = await run(RELEASE_CASES[where], errors=True)
    for error in result.errors:
        assert error.extensions["code"] == "BAD_USER_INPUT"
        assert error.extensions["argument"] == where[2]
        assert f"release '{UNKNOWN}' is not loaded; loaded releases: 2016-01" in error.message
