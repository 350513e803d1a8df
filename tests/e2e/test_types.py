"""server/, schema/ and db/ type-check in mypy's strict mode (pyproject.toml's [tool.mypy],
the command .ci/run runs), and every `# type: ignore` in them names the errors it silences
and says why."""

from __future__ import annotations

import re
import subprocess
import sys
import tokenize
from pathlib import Path

from tests.conftest import ROOT

LAYERS = ("server", "schema", "db")
# as .ci/run runs it (README, "Tests")
MYPY = [sys.executable, "-m", "mypy"]
MYPY += ["-p", "hcpcs_graph.server", "-p", "hcpcs_graph.schema", "-p", "hcpcs_graph.db"]
# `# type: ignore[code, ...]  # why`: codes in brackets, then a comment of its own
IGNORE = re.compile(r"#\s*type:\s*ignore\b(?P<codes>\[[^\]]*\])?(?P<rest>.*)")
EXPLAINED = re.compile(r"\[[a-z-]+(?:,\s*[a-z-]+)*\]")
REASON = re.compile(r"\s+#\s*\S")


def test_the_layers_are_linked_where_mypy_looks_for_them() -> None:
    """mypy_path's hcpcs_graph/ links each package to its folder: the editable install maps
    the names with an import hook mypy does not follow."""
    linked = ROOT / ".ci" / "mypy_path" / "hcpcs_graph"
    assert {layer: (linked / layer).resolve() for layer in LAYERS} == {
        layer: ROOT / layer for layer in LAYERS
    }


def test_mypy_strict_finds_nothing() -> None:
    done = subprocess.run(MYPY, cwd=ROOT, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, f"python {' '.join(MYPY[1:])}\n{done.stdout}{done.stderr}"
    assert done.stdout.startswith("Success: no issues found"), done.stdout


def _ignores(path: Path) -> list[tuple[int, str]]:
    """(line, comment) of each `# type: ignore` comment in a file (not in strings)."""
    with path.open("rb") as source:
        return [
            (token.start[0], token.string)
            for token in tokenize.tokenize(source.readline)
            if token.type == tokenize.COMMENT and IGNORE.search(token.string)
        ]


def test_every_type_ignore_names_its_errors_and_says_why() -> None:
    unexplained = []
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            for line, comment in _ignores(path):
                found = IGNORE.search(comment)
                assert found is not None
                codes, rest = found.group("codes") or "", found.group("rest")
                if not EXPLAINED.fullmatch(codes) or not REASON.match(rest):
                    unexplained.append(f"{path.relative_to(ROOT)}:{line}: {comment}")
    assert unexplained == []
