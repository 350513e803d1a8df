"""Pages read only the columns the query's selection needs (schema/columns.py), and answer
exactly as whole rows do."""

from __future__ import annotations

from types import SimpleNamespace

import orjson
import pytest
from graphql import FieldNode, OperationDefinitionNode, parse

from hcpcs_graph.db import queries
from hcpcs_graph.db.database import Database
from hcpcs_graph.db.queries import LEAD, UNREAD, WIDTH, CodeSet
from hcpcs_graph.schema import build_schema, columns
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.types import connection
from tests.shapes import OURS

schema = build_schema()  # the package builds none at import


def _info(query: str, *path: str) -> SimpleNamespace:
    """Strawberry's info (what page_width reads of it) for the field at `path`."""
    document = parse(query)
    fragments = {
        d.name.value: d for d in document.definitions if not isinstance(d, OperationDefinitionNode)
    }
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    nodes = [operation]
    for name in path:
        nodes = [
            s
            for n in nodes
            for s in n.selection_set.selections
            if isinstance(s, FieldNode) and s.name.value == name
        ]
    raw = SimpleNamespace(field_name=path[-1], field_nodes=nodes, fragments=fragments)
    return SimpleNamespace(_raw_info=raw, context=SimpleNamespace(widths={}))


def _width(*names: str) -> int:
    """The width that reads the named columns."""
    return max(queries.CODE_COLUMNS.index(name) for name in names) + 1


@pytest.mark.parametrize(
    ("query", "path", "width"),
    [
        # the benchmark's search: code, short description and BETOS
        (OURS["search"], ("hcpcsCodes", "nodes"), _width("short_description", "betos")),
        ("{ hcpcsCodes { nodes { code id __typename release { id } } } }",
         ("hcpcsCodes", "nodes"), LEAD),
        ("{ hcpcsCodes { nodes { status statusDate } } }",
         ("hcpcsCodes", "nodes"), _width("added_date", "termination_date")),
        # a field not listed reads the whole row
        ("{ hcpcsCodes { nodes { code sequenceNumber } } }", ("hcpcsCodes", "nodes"), WIDTH),
        ("{ hcpcsCodes { nodes { code history { code } } } }", ("hcpcsCodes", "nodes"), WIDTH),
        # edges: the node's fields; the cursor needs the code alone
        ("{ hcpcsCodes { edges { cursor } } }", ("hcpcsCodes", "edges"), LEAD),
        ("{ hcpcsCodes { edges { cursor node { longDescription } } } }",
         ("hcpcsCodes", "edges"), _width("long_description")),
        ("{ hcpcsCodes { edges { node { coverage { code } } } } }",
         ("hcpcsCodes", "edges"), _width("coverage")),
        ("{ hcpcsCodes { pageInfo { hasNextPage endCursor } } }",
         ("hcpcsCodes", "pageInfo"), LEAD),
        # fragments, inline or named, and a field asked twice under one key
        ("{ hcpcsCodes { nodes { ... on HcpcsCode { betos { code } } ...F } } }"
         " fragment F on HcpcsCode { typesOfService { code } }",
         ("hcpcsCodes", "nodes"), _width("betos", "types_of_service")),
        ("{ hcpcsCodes { nodes { ...F } } } fragment F on HcpcsCode { crossReferences { code } }",
         ("hcpcsCodes", "nodes"), WIDTH),
        ("{ hcpcsCodes { nodes { code } nodes { pricingIndicators { code } } } }",
         ("hcpcsCodes", "nodes"), _width("pricing_indicators")),
        ("{ hcpcsCodes { edges { ... on HcpcsCodeEdge { node { action { code } } } } } }",
         ("hcpcsCodes", "edges"), _width("action_code")),
    ],
)  # fmt: skip
def test_the_width_a_selection_needs(query: str, path: tuple[str, ...], width: int) -> None:
    assert columns.page_width(_info(query, *path)) == width


async def test_a_narrow_page_is_the_whole_rows_prefix(database: Database) -> None:
    snapshot = await database.snapshot()
    searched = CodeSet(release="2025-10", is_modifier=False, search='"oxygen"*')
    linked = CodeSet(release="2020-01", is_modifier=False, link_field="betos")
    for width in (LEAD, 7, WIDTH):
        whole = await queries.search_page(snapshot, searched, 21, 0)
        narrow = await queries.search_page(snapshot, searched, 21, 0, width=width)
        pages = await queries.page(snapshot, linked, ["I4B", "D1E"], 5, None)
        narrow_pages = await queries.page(snapshot, linked, ["I4B", "D1E"], 5, None, width)
        for rows, cut in (
            (whole, narrow),
            *zip(pages.values(), narrow_pages.values(), strict=True),
        ):
            assert rows and len(rows) == len(cut)
            for row, short in zip(rows, cut, strict=True):
                assert len(short) == WIDTH
                assert short[:width] == row[:width]
                assert all(value is UNREAD for value in short[width:])


QUERIES = [
    (OURS["search"], {"q": "catheter"}),
    (OURS["traversal"], {"code": "A4206"}),
    ("""{ hcpcsCodes(search: "oxygen", first: 5) { totalCount pageInfo { hasNextPage endCursor }
         edges { cursor node { code status statusDate addedDate terminationDate } }
         nodes { id __typename code longDescription action { code } } } }""", None),
    ("""{ hcpcsCodes(release: "2020-01", first: 3, filter: {codePrefix: "E0"}) {
         nodes { ...F ... on HcpcsCode { coverage { code description } } } } }
       fragment F on HcpcsCode { code pricingIndicators { code } typesOfService { code } }""",
     None),
    ("""{ hcpcsCode(code: "A4206", release: "2025-10") { betos { codes(first: 4) {
         nodes { code shortDescription betos { codes(first: 2) { nodes { code } } } } } } } }""",
     None),
    ("""{ hcpcsCodes(search: "wheelchair", first: 2) { nodes { code sequenceNumber statute } } }""",
     None),
]  # fmt: skip


@pytest.mark.parametrize(("query", "variables"), QUERIES)
async def test_narrow_pages_answer_as_whole_rows(
    database: Database, query: str, variables: dict | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    async def answer() -> bytes:
        ctx = Context(snapshot=await database.snapshot(), request_id="t")
        result = await schema.execute(query, variable_values=variables, context_value=ctx)
        assert not result.errors, result.errors
        return orjson.dumps(result.data)

    narrow = await answer()
    monkeypatch.setattr(connection, "page_width", lambda info: WIDTH)
    assert narrow == await answer()


async def test_fields_of_one_connection_share_one_page_statement(database: Database) -> None:
    """nodes, edges and pageInfo ask for different widths: one statement, the widest."""
    query = """{ hcpcsCodes(search: "oxygen", first: 3) { nodes { code betos { code } }
        edges { cursor node { code } } pageInfo { hasNextPage } } }"""

    async def statements() -> int:
        before = database.stats.statements
        ctx = Context(snapshot=await database.snapshot(), request_id="t")
        result = await schema.execute(query, context_value=ctx)
        assert not result.errors, result.errors
        assert result.data["hcpcsCodes"]["nodes"][0]["betos"] is not None
        return database.stats.statements - before

    await statements()  # the release's search span, once per file
    assert await statements() == 1
