"""The private parts of Strawberry and graphql-core behind schema/private_api.py: the
self-check passes on the pinned versions and the plans answer; forced to fail, it warns
once, says so in /metrics, and every request is answered by the full path. Every reason a
plan leaves a request to the full path is counted in /metrics."""

from __future__ import annotations

import logging
import re
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any, NamedTuple

import httpx
import pytest

from hcpcs_graph.db.database import Database
from hcpcs_graph.schema import build_schema, private_api
from hcpcs_graph.schema.context import Context
from hcpcs_graph.schema.ids import node_id
from tests.conftest import ROOT, make_client

schema = build_schema()  # the package builds none at import

CODE = 'query($code: String!) { hcpcsCode(code: $code, release: "2025-10") { code } }'
PAGE = """query($after: String) { hcpcsCodes(release: "2025-10", first: 5, after: $after) {
  nodes { code shortDescription betos { code } } edges { cursor } } }"""
RELEASE = 'query($r: String) { hcpcsCode(code: "G6002", release: $r) { code } }'
COSTLY = """query($n: Int, $m: Int) { hcpcsCodes(release: "2025-10", first: $n) {
  nodes { betos { codes(first: $m) { nodes { code } } } } } }"""
SKIPS = """query($a: Boolean!, $b: Boolean!, $c: Boolean!, $d: Boolean!) {
  releases { id @skip(if: $a) name @skip(if: $b) effectiveDate @skip(if: $c) }
  hcpcsCode(code: "G6002", release: "2025-10") { code @include(if: $d) } }"""
INTROSPECTION = '{ releases { id } __type(name: "Release") { name } }'
# asked three times each: the full path answers the first, a plan (when on) the others
ASKED = [
    {"query": CODE, "variables": {"code": "G6002"}},
    {"query": PAGE, "variables": {"after": None}},
]
PRIVATE_NAMES = re.compile(
    r"_OperationContextAwareGraphQLResolveInfo|_get_is_type_of|_get_basic_result"
    r"|_get_field_exception_handlers|_raw_info|\._schema\b|collect_fields|collect_subfields"
    r"|FieldDetails|FragmentDetails|optimized_is_awaitable|get_strawberry_type_cast"
    r"|strawberry-definition|StrawberryOptional"
)


def _counted(metrics: str, name: str, label: str, value: str) -> float:
    prefix = f'{name}{{{label}="{value}"}} '
    for line in metrics.splitlines():
        if line.startswith(prefix):
            return float(line[len(prefix) :])
    return 0.0


def _compiled(client: httpx.AsyncClient) -> Any:
    return client._transport.app.state.graphql.schema.compiled  # type: ignore[attr-defined]


async def _ask(client: httpx.AsyncClient) -> list[bytes]:
    answers = []
    for body in ASKED:
        for _ in range(3):
            response = await client.post("/graphql", json=body)
            assert response.status_code == 200
            answers.append(response.content)
    return answers


@pytest.fixture
def fresh_check(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """The library checks run again (they run once per process), and warn again."""
    monkeypatch.setattr(private_api, "_WARNED", set())
    private_api.library_failures.cache_clear()
    yield
    private_api.library_failures.cache_clear()


def test_nothing_but_the_adapter_names_a_private_part() -> None:
    root = ROOT
    found = [
        f"{path.relative_to(root)}: {match.group()}"
        for folder in ("schema", "server", "db")
        for path in sorted((root / folder).rglob("*.py"))
        if path.name != "private_api.py"
        for match in PRIVATE_NAMES.finditer(path.read_text())
    ]
    assert found == []


async def test_the_check_passes_on_the_pinned_versions_and_the_plans_answer(
    all_releases_db: Path,
) -> None:
    assert private_api.library_failures() == ()
    assert private_api.check(schema) == []
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        compiled = _compiled(client)
        assert compiled.enabled and compiled.failed_checks == []
        await _ask(client)
        metrics = (await client.get("/metrics")).text
    assert compiled.runs == 4  # the plans answered, not the full path
    assert not compiled.fallbacks
    assert "\nhcpcs_fast_path_enabled 1.0\n" in metrics
    assert "hcpcs_private_api_check_failures_total{" not in metrics
    assert "hcpcs_plan_fallbacks_total{" not in metrics


class _LaterResolveInfo(NamedTuple):
    """Strawberry's info as a later release might have it: one field more."""

    field_name: Any
    field_nodes: Any
    return_type: Any
    parent_type: Any
    path: Any
    schema: Any
    fragments: Any
    root_value: Any
    operation: Any
    variable_values: Any
    context: Any
    is_awaitable: Any
    abort_signal: Any
    async_helpers: Any
    operation_extensions: Any
    directives: Any


def _collect_fields_of_graphql_core_3_2(
    schema: Any, fragments: Any, variable_values: Any, runtime_type: Any, selection_set: Any
) -> Any:
    raise AssertionError("never called: its arguments do not fit")


BREAKS: dict[str, Callable[[pytest.MonkeyPatch], None]] = {
    "resolve_info": lambda m: m.setattr(private_api, "ResolveInfo", _LaterResolveInfo),
    # a Strawberry that named its is_type_of differently
    "is_type_of": lambda m: m.setattr(
        private_api, "STRAWBERRYS_IS_TYPE_OF", re.compile(r".*\._is_type_of_for\.<locals>")
    ),
    "collect_fields": lambda m: m.setattr(
        private_api, "_collect_fields", _collect_fields_of_graphql_core_3_2
    ),
}


@pytest.mark.parametrize("check", list(BREAKS))
@pytest.mark.usefixtures("fresh_check")
async def test_a_failing_check_warns_once_and_the_full_path_answers(
    all_releases_db: Path,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    check: str,
) -> None:
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        expected = await _ask(client)
        assert _compiled(client).runs == 4
    BREAKS[check](monkeypatch)
    private_api.library_failures.cache_clear()
    with caplog.at_level(logging.WARNING, logger="hcpcs.private_api"):
        async with make_client(all_releases_db, response_cache_mb=0) as client:
            compiled = _compiled(client)
            answers = await _ask(client)
            metrics = (await client.get("/metrics")).text
        private_api.check(schema)  # another schema: nothing new to say
    warnings = [r for r in caplog.records if r.name == "hcpcs.private_api"]
    assert len(warnings) == 1 and warnings[0].levelno == logging.WARNING
    assert f"{check}: " in warnings[0].getMessage()
    assert "every request takes the full path" in warnings[0].getMessage()
    assert check in compiled.failed_checks and not compiled.enabled
    assert _counted(metrics, "hcpcs_private_api_check_failures_total", "check", check) == 1
    assert "\nhcpcs_fast_path_enabled 0.0\n" in metrics
    assert answers == expected  # the full path's, every one
    assert compiled.runs == 0 and len(compiled.prepared) == 0


def test_infos_are_built_by_field_name(monkeypatch: pytest.MonkeyPatch) -> None:
    """The positions of ResolveInfo's fields do not matter: a later order is filled by
    name."""
    reordered = NamedTuple(  # type: ignore[misc]
        "ResolveInfo", [(name, Any) for name in reversed(private_api.RESOLVE_INFO_FIELDS)]
    )
    monkeypatch.setattr(private_api, "ResolveInfo", reordered)
    values = {name: object() for name in private_api.RESOLVE_INFO_FIELDS}
    per_field, per_request = private_api.RESOLVE_INFO_FIELDS[:5], ("variable_values", "context")
    per_request += ("operation_extensions",)
    infos = private_api.ResolveInfos(
        **{k: v for k, v in values.items() if k not in per_field + per_request}
    )
    make = infos.for_request(**{k: values[k] for k in per_request})
    info = make(*(values[name] for name in per_field))
    assert type(info) is reordered
    assert all(getattr(info, name) is value for name, value in values.items())


async def test_every_reason_a_plan_gives_up_is_counted(all_releases_db: Path) -> None:
    """Each request below is for a learned document, and its plan leaves it to the full
    path for a different reason: /metrics counts each, by reason."""
    asked = [
        # (query, variables to learn it with, variables its plan gives up on, reason)
        (CODE, {"code": "G6002"}, {"code": 5}, "variables"),
        (RELEASE, {"r": None}, {"r": "1999-01"}, "error"),
        (COSTLY, {"n": 1, "m": 1}, {"n": 500, "m": 500}, "cost"),
        (INTROSPECTION, None, None, "introspection"),
    ]
    async with make_client(all_releases_db, response_cache_mb=0) as client:
        for query, learn_with, give_up_with, _ in asked:
            first = await client.post("/graphql", json={"query": query, "variables": learn_with})
            assert "errors" not in first.json(), first.json()
            await client.post("/graphql", json={"query": query, "variables": give_up_with})
        combinations = [
            {"a": a, "b": b, "c": c, "d": d}
            for a in (True, False)
            for b in (True, False)
            for c in (True, False)
            for d in (True, False)
        ]
        # the full path learns the first; the next 8 make the plans a document keeps
        for variables in combinations[:11]:
            response = await client.post("/graphql", json={"query": SKIPS, "variables": variables})
            assert "errors" not in response.json()
        metrics = (await client.get("/metrics")).text
    for *_, reason in asked:
        assert _counted(metrics, "hcpcs_plan_fallbacks_total", "reason", reason) == 1, reason
    assert _counted(metrics, "hcpcs_plan_fallbacks_total", "reason", "too_many_plans") == 2


async def test_documents_never_compiled_are_counted(database: Database) -> None:
    compiled = schema.compiled
    before = Counter(compiled.fallbacks)
    mutation = "mutation { __typename }"
    node = f'{{ node(id: "{node_id("HcpcsCode", "2025-10", "G6002")}") {{ id }} }}'
    for query in (mutation, node):
        schema.learn(query, None)
        for _ in range(2):
            ctx = Context(snapshot=await database.snapshot(), request_id="t")
            assert await schema.execute_known(query, None, None, ctx) is None
    assert compiled.fallbacks - before == Counter({"not_a_query": 2, "abstract_type": 2})
