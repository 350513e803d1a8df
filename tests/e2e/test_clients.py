"""The client libraries front ends use, from npm (tests/clients, pinned by its lockfile),
against a real `hcpcs serve`: graphql-http's audit, Apollo Client's normalized cache,
graphql-schema-linter and GraphQL Code Generator with `tsc --strict`.

`.ci/run` installs them (`npm ci --prefix tests/clients`); Node.js 20 and npm run them.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.servers import ROOT, serving

CLIENTS = ROOT / "tests" / "clients"
BIN = CLIENTS / "node_modules" / ".bin"


def node(*args: str | Path, cwd: Path = CLIENTS) -> str:
    if not (CLIENTS / "node_modules").is_dir():
        raise AssertionError("the npm clients are not installed: npm ci --prefix tests/clients")
    done = subprocess.run(
        [str(a) for a in args], cwd=cwd, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


@pytest.fixture(scope="module")
def origin(all_releases_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(all_releases_db, tmp_path_factory.mktemp("clients")) as origin:
        yield origin


def test_graphql_http_audit_passes(origin: str) -> None:
    """Every MUST and SHOULD of the GraphQL-over-HTTP spec that graphql-http audits."""
    results = json.loads(node("node", "audit.mjs", f"{origin}/graphql"))
    assert len(results) >= 50
    failed = [r for r in results if r["status"] != "ok"]
    assert failed == []


def test_apollo_cache_keeps_each_releases_answer(origin: str) -> None:
    """A code-table object reached through two releases is two objects in the cache."""
    answers = json.loads(node("node", "apollo_cache.mjs", f"{origin}/graphql"))
    fetched, cached = answers["fetched"], answers["cached"]
    totals = {r: fetched[r]["hcpcsCode"]["betos"]["codes"]["totalCount"] for r in fetched}
    assert totals == {"2020-01": 385, "2025-10": 453}
    assert cached == fetched


def test_schema_has_every_description() -> None:
    rules = [
        "types-have-descriptions",
        "fields-have-descriptions",
        "arguments-have-descriptions",
        "input-object-values-have-descriptions",
        "enum-values-have-descriptions",
    ]
    schema = ROOT / "schema" / "schema.graphql"
    out = node(
        BIN / "graphql-schema-linter", "--rules", ",".join(rules), "--format", "compact", schema
    )
    assert out.strip() == ""


def test_generated_typescript_compiles_strictly(tmp_path: Path) -> None:
    """The three operations typed by GraphQL Code Generator with README's scalar config,
    used by a file that `tsc --strict` accepts."""
    for name in ("use.ts", "tsconfig.json"):
        shutil.copy(CLIENTS / name, tmp_path / name)
    config = (CLIENTS / "codegen.yml").read_text()
    config = config.replace("../../schema/schema.graphql", str(ROOT / "schema" / "schema.graphql"))
    config = config.replace("generated/types.ts", str(tmp_path / "generated" / "types.ts"))
    (tmp_path / "codegen.yml").write_text(config)
    # run from tests/clients, where its plugins are installed; it writes only to tmp_path
    node(BIN / "graphql-codegen", "--config", tmp_path / "codegen.yml")
    types = (tmp_path / "generated" / "types.ts").read_text()
    assert "addedDate: string | null" in types  # Date is a string, not unknown
    node(BIN / "tsc", "-p", "tsconfig.json", cwd=tmp_path)
