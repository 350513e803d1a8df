"""The README is the front door: its settings table and its example queries must stay true."""

from __future__ import annotations

import re

from hcpcs_graph.server.settings import documented
from tests.conftest import ROOT, Run

README = (ROOT / "README.md").read_text()


def test_every_setting_is_in_the_readme() -> None:
    for variable, default, _ in documented():
        shown = str(default).lower() if isinstance(default, bool) else str(default)
        assert f"| `{variable}` | `{shown}` |" in README, variable


async def test_every_example_query_runs(run: Run) -> None:
    queries = re.findall(r"```graphql\n(.*?)```", README, re.S)
    assert len(queries) >= 4
    for query in queries:
        data = await run(query)
        assert data and all(value is not None for value in data.values())
