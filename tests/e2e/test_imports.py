"""The project's modules import one way: no cycle among server/, schema/ and db/, and the
layers stacked db < schema < server.

Every import statement counts: at module level, under `if TYPE_CHECKING:`, or inside a
function. A function-local import of a project module is allowed only with a comment on
its line saying why it is not there to break a cycle.

Not counted: the parent packages Python runs first (importing `hcpcs_graph.schema.ids` runs
schema/__init__.py, which is no dependency of ids), and `strawberry.lazy("module")`
annotations. Those are strings Strawberry resolves when the schema is built, after every
module has loaded: the way a GraphQL type refers back to one that refers to it (a record's
`release`, a release's `codes`), since the graph of types has cycles the modules must not.
"""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

from tests.conftest import ROOT

PACKAGE = "hcpcs_graph"
LAYERS = ("db", "schema", "server")  # each may import only those before it


def _modules() -> dict[str, Path]:
    """hcpcs_graph.* name -> file, for every module of the layer folders."""
    found = {}
    for layer in LAYERS:
        for path in sorted((ROOT / layer).rglob("*.py")):
            parts = [PACKAGE, *path.relative_to(ROOT).with_suffix("").parts]
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> Iterator[tuple[ast.stmt, str, bool]]:
    """(statement, project module imported, whether inside a function) for each import."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]

    def targets(node: ast.stmt) -> list[str]:
        if isinstance(node, ast.Import):
            return [alias.name for alias in node.names]
        assert isinstance(node, ast.ImportFrom)
        base = node.module or ""
        if node.level:
            anchor = package.rsplit(".", node.level - 1)[0] if node.level > 1 else package
            base = f"{anchor}.{base}" if base else anchor
        # `from package import module` imports the module; `from module import name`, it
        return [
            f"{base}.{alias.name}" if f"{base}.{alias.name}" in MODULES else base
            for alias in node.names
        ]

    def walk(node: ast.AST, in_function: bool) -> Iterator[tuple[ast.stmt, str, bool]]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import | ast.ImportFrom):
                for target in targets(child):
                    if target in MODULES:
                        yield child, target, in_function
            inner = in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef)
            yield from walk(child, inner)

    yield from walk(ast.parse(path.read_text(), str(path)), False)


def _graph() -> dict[str, set[str]]:
    return {
        name: {target for _, target, _ in _imports(name, path)} for name, path in MODULES.items()
    }


def _layer(module: str) -> int:
    return LAYERS.index(module.split(".")[1])


def test_the_walk_finds_the_modules_and_their_imports() -> None:
    graph = _graph()
    assert {"hcpcs_graph.db.queries", "hcpcs_graph.schema.types.records"} <= set(graph)
    assert "hcpcs_graph.db.queries" in graph["hcpcs_graph.schema.loaders"]


def test_no_import_cycle() -> None:
    try:
        tuple(graphlib.TopologicalSorter(_graph()).static_order())
    except graphlib.CycleError as e:
        raise AssertionError("import cycle: " + " -> ".join(e.args[1])) from None


def test_the_layers_import_downwards() -> None:
    upward = [
        f"{name} imports {target}"
        for name, targets in _graph().items()
        for target in sorted(targets)
        if _layer(target) > _layer(name)
    ]
    assert not upward


def test_no_function_local_import_without_a_reason() -> None:
    """A project module imported inside a function says why on its line (e.g. a heavy
    dependency loaded lazily): an import put there to dodge a cycle has none to give."""
    unexplained = []
    for name, path in MODULES.items():
        lines = path.read_text().splitlines()
        for node, target, in_function in _imports(name, path):
            statement = lines[node.lineno - 1 : node.end_lineno]
            if in_function and not any("#" in line for line in statement):
                unexplained.append(f"{path.relative_to(ROOT)}:{node.lineno} imports {target}")
    assert not unexplained
