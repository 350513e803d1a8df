"""Cursors: every page of a list is reached through them, a cursor pages only the list it came
from (its release, its kind, its search, filter or parent value), and any other text given as
`after` is a BAD_USER_INPUT error on that argument, never an internal error."""

from __future__ import annotations

import base64
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from hcpcs_graph.db.queries import CodeSet
from hcpcs_graph.schema import ids
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.types.connection import CodeSource, Connection, ListSource
from tests.conftest import ROOT, Run, make_client

_PAGE = "totalCount pageInfo { hasNextPage hasPreviousPage endCursor } edges { cursor node { %s } }"

# name -> (query taking $first and $after, path to the connection, the node's key fields)
LISTS = {
    "codes": (
        'query($first: Int, $after: String) { hcpcsCodes(release: "2025-10", first: $first,'
        f" after: $after) {{ {_PAGE % 'code'} }} }}",
        ("hcpcsCodes",),
    ),
    "filtered codes": (
        'query($first: Int, $after: String) { hcpcsCodes(release: "2016-01", first: $first,'
        f' after: $after, filter: {{codePrefix: "J"}}) {{ {_PAGE % "code"} }} }}',
        ("hcpcsCodes",),
    ),
    "modifiers": (
        'query($first: Int, $after: String) { modifiers(release: "2026-01", first: $first,'
        f" after: $after) {{ {_PAGE % 'code'} }} }}",
        ("modifiers",),
    ),
    "search": (
        'query($first: Int, $after: String) { hcpcsCodes(release: "2025-10", search: "wheelchair",'
        f" first: $first, after: $after) {{ {_PAGE % 'code'} }} }}",
        ("hcpcsCodes",),
    ),
    "filtered search": (
        'query($first: Int, $after: String) { hcpcsCodes(release: "2019-01", search: "oxygen",'
        " filter: {terminated: false}, first: $first, after: $after)"
        f" {{ {_PAGE % 'code'} }} }}",
        ("hcpcsCodes",),
    ),
    "table codes": (
        'query($first: Int, $after: String) { betosCode(code: "D1E", release: "2025-10") {'
        f" codes(first: $first, after: $after) {{ {_PAGE % 'code'} }} }} }}",
        ("betosCode", "codes"),
    ),
    "diff": (
        'query($first: Int, $after: String) { releaseDiff(from: "2018-01", to: "2019-01",'
        f" first: $first, after: $after) {{ {_PAGE % 'code isModifier kind'} }} }}",
        ("releaseDiff",),
    ),
}


def _b64(text: str | bytes) -> str:
    raw = text.encode() if isinstance(text, str) else text
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _at(data: dict, path: tuple[str, ...]) -> dict:
    for key in path:
        data = data[key]
    return data


async def _walk(run: Run, name: str, first: int) -> tuple[list[dict], int]:
    """Every node of a list, page by page; each page's cursors checked on the way."""
    query, path = LISTS[name]
    nodes: list[dict] = []
    after = None
    while True:
        page = _at(await run(query, {"first": first, "after": after}), path)
        edges = page["edges"]
        info = page["pageInfo"]
        assert info["hasPreviousPage"] == (after is not None)
        assert len(edges) <= first
        if edges:
            assert info["endCursor"] == edges[-1]["cursor"]
        nodes += [e["node"] for e in edges]
        if not info["hasNextPage"]:
            assert len(edges) < first or info["endCursor"] is not None
            return nodes, page["totalCount"]
        assert len(edges) == first
        after = info["endCursor"]


@pytest.mark.parametrize("name", LISTS)
async def test_paging_walks_the_whole_list_in_order(run: Run, name: str) -> None:
    whole, total = await _walk(run, name, 500)
    assert total == len(whole) > 30
    nodes, total = await _walk(run, name, max(13, total // 20))  # pages of another size
    assert nodes == whole and total == len(whole)
    keys = [tuple(n.values()) for n in whole]
    assert len(set(keys)) == len(keys)
    if "search" not in name and name != "diff":  # lists of codes run in code order
        assert keys == sorted(keys)


async def test_the_last_cursor_gives_an_empty_last_page(run: Run) -> None:
    query, path = LISTS["search"]
    whole = _at(await run(query, {"first": 500}), path)
    after = whole["pageInfo"]["endCursor"]
    page = _at(await run(query, {"first": 5, "after": after}), path)
    assert page["edges"] == [] and page["pageInfo"]["hasNextPage"] is False
    assert page["pageInfo"]["hasPreviousPage"] is True and page["pageInfo"]["endCursor"] is None


async def test_a_cursor_pages_the_same_list_reached_another_way(run: Run) -> None:
    """A release's `codes` and `hcpcsCodes(release:)` are one list: their cursors agree."""
    data = await run(
        """{ release(name: "2025-10") { codes(first: 3) { pageInfo { endCursor } } }
            hcpcsCodes(release: "2025-10", first: 3) { pageInfo { endCursor } } }"""
    )
    after = data["release"]["codes"]["pageInfo"]["endCursor"]
    assert after == data["hcpcsCodes"]["pageInfo"]["endCursor"]
    page = await run(
        'query($a: String) { hcpcsCodes(release: "2025-10", first: 2, after: $a) { nodes { code } } }',
        {"a": after},
    )
    assert len(page["hcpcsCodes"]["nodes"]) == 2


def _refused(result, *phrases: str) -> None:
    [error] = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "after"}, error
    for phrase in phrases:
        assert phrase in error.message, error.message


FORGED = [
    _b64("o:99999999999999999999999"),
    _b64("o:\u00b2"),  # '²'.isdigit() is True, int('²') fails
    _b64("o:-1"),
    _b64("o:"),
    _b64("o:" + "9" * 5000),
    _b64("c:E0100"),  # the old format
    _b64("c:"),
    _b64(b"\xff\xfe\x00"),  # not UTF-8
    "",
    "!!!",
    "\u00e9t\u00e9",
    "a b",
    "QQ==" * 3,
    "A" * 10_000,
]


@pytest.mark.parametrize("name", LISTS)
@pytest.mark.parametrize("after", FORGED, ids=range(len(FORGED)))
async def test_forged_cursors_are_bad_user_input(run: Run, name: str, after: str) -> None:
    query, _ = LISTS[name]
    _refused(await run(query, {"first": 5, "after": after}, errors=True), "cursor")


# (list the cursor comes from, list it is given to, phrases the message must hold)
ELSEWHERE = [
    ("codes", 'hcpcsCodes(release: "2026-01", after: $a)', ("2025-10", "2026-01")),
    ("codes", 'modifiers(release: "2025-10", after: $a)', ("codes", "modifiers")),
    ("codes", 'hcpcsCodes(release: "2025-10", search: "cane", after: $a)', ("another list",)),
    ("codes", 'releaseDiff(from: "2025-10", to: "2026-01", after: $a)', ("releaseDiff",)),
    ("search", 'hcpcsCodes(release: "2026-01", search: "wheelchair", after: $a)', ("2026-01",)),
    ("search", 'hcpcsCodes(release: "2025-10", search: "oxygen", after: $a)', ("another list",)),
    ("search", 'hcpcsCodes(release: "2025-10", after: $a)', ("another list",)),
    ("filtered codes", 'hcpcsCodes(release: "2016-01", after: $a)', ("another list",)),
    ("table codes", 'hcpcsCodes(release: "2025-10", after: $a)', ("another list",)),
    ("diff", 'releaseDiff(from: "2019-01", to: "2020-01", after: $a)', ("2018-01", "2020-01")),
    (
        "diff",
        'releaseDiff(from: "2018-01", to: "2019-01", filter: {kinds: [ADDED]}, after: $a)',
        ("another list",),
    ),
    ("diff", 'hcpcsCodes(release: "2019-01", after: $a)', ("releaseDiff",)),
]


@pytest.mark.parametrize(("source", "target", "phrases"), ELSEWHERE)
async def test_a_cursor_of_another_list_is_refused(
    run: Run, source: str, target: str, phrases: tuple[str, ...]
) -> None:
    query, path = LISTS[source]
    after = _at(await run(query, {"first": 3}), path)["pageInfo"]["endCursor"]
    result = await run(
        f"query($a: String) {{ {target} {{ totalCount }} }}", {"a": after}, errors=True
    )
    _refused(result, *phrases)


async def test_http_full_and_compiled_paths_refuse_forged_cursors(all_releases_db: Path) -> None:
    """The document is learned with a good cursor, so later requests run its compiled plan;
    a forged or foreign cursor in the variables is still refused: the plan gives up and the
    full path answers with the error."""
    query, path = LISTS["search"]
    foreign_query = (
        '{ hcpcsCodes(release: "2026-01", search: "wheelchair") { pageInfo { endCursor } } }'
    )
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        compiled = client._transport.app.state.graphql.schema.compiled  # type: ignore[attr-defined]

        async def ask(query: str, variables: dict) -> dict:
            response = await client.post("/graphql", json={"query": query, "variables": variables})
            assert response.status_code == 200
            return response.json()

        after = _at((await ask(query, {"first": 5}))["data"], path)["pageInfo"]["endCursor"]
        good = await ask(query, {"first": 5, "after": after})
        runs = compiled.runs
        assert "errors" not in good and good == await ask(query, {"first": 5, "after": after})
        assert compiled.runs == runs + 1  # the plan answered
        foreign = (await ask(foreign_query, {}))["data"]["hcpcsCodes"]["pageInfo"]["endCursor"]
        for bad in [*FORGED, foreign]:
            answer = await ask(query, {"first": 5, "after": bad})
            [error] = answer["errors"]
            assert error["extensions"] == {"code": "BAD_USER_INPUT", "argument": "after"}, error
            assert answer["data"] is None
        assert compiled.runs == runs + 1


async def _no_items(info: object) -> list:
    return []


# One source of each kind of cursor: an offset into a search or a diff, a code.
SOURCES = [
    CodeSource(CodeSet("2025-10", False, search='"x"*'), None, tuple),
    CodeSource(CodeSet("2025-10", True), None, tuple),
    ListSource(_no_items, tuple, release="2018-01..2019-01", kind="diff", definition=None),
]
POSITIONS = st.one_of(
    st.text(),
    st.integers().map(str),
    st.from_regex(r"[0-9]{1,25}", fullmatch=True),
    st.from_regex(r"[A-Za-z0-9|]{0,20}", fullmatch=True),
)


@given(text=POSITIONS, raw=st.binary(max_size=200))
def test_any_text_is_a_cursor_or_bad_user_input(text: str, raw: bytes) -> None:
    """Given as `after`, any text, any base64url of any bytes, and our own form with any
    place in it is either a place in the list (a code, or an offset SQLite can take) or a
    BAD_USER_INPUT error on `after`."""
    for source in SOURCES:
        for after in (text, _b64(raw), _b64(text), ids.cursor(source.list_key, text)):
            try:
                connection = Connection.of(source, first=None, after=after)
            except UserInputError as e:
                assert (e.code, e.argument) == ("BAD_USER_INPUT", "after")
                assert len(str(e)) < 300
                continue
            place = connection.after
            if isinstance(source, ListSource) or source.codes.search is not None:
                assert type(place) is int and 1 <= place <= ids.MAX_OFFSET
            else:
                assert type(place) is str and place.isascii() and place.isalnum()


@given(offset=st.integers(1, ids.MAX_OFFSET), code=st.from_regex(r"[A-Z0-9]{2,5}", fullmatch=True))
def test_our_cursors_read_back(offset: int, code: str) -> None:
    search, modifiers, diff = SOURCES
    for source, place in ((search, offset), (modifiers, code), (diff, offset)):
        after = ids.cursor(source.list_key, place)
        assert len(after) <= ids.MAX_CURSOR and after.isascii()
        assert Connection.of(source, first=None, after=after).after == place


def test_a_list_names_its_cursors_the_same_in_every_process() -> None:
    """Workers answer each other's cursors: the digest may not depend on the process."""
    import subprocess
    import sys

    script = (
        "from hcpcs_graph.db.queries import CodeSet, CodeFilter\n"
        "from hcpcs_graph.schema.types.connection import CodeSource\n"
        "codes = CodeSet('2025-10', False, CodeFilter(codes=('E0100',), active_on='2025-10-01'))\n"
        "print(CodeSource(codes, 'D1E', tuple).list_key)"
    )
    found = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
            cwd=ROOT,
        ).stdout
        for seed in ("1", "2")
    }
    assert len(found) == 1 and "2025-10" in found.pop()
