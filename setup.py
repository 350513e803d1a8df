"""Which packages the distribution holds; everything else is in pyproject.toml.

The repository's layer folders db/, schema/ and server/ show the architecture; installed,
they are hcpcs_graph.db, hcpcs_graph.schema and hcpcs_graph.server, so that nothing installs
a generic top-level `db`, `schema` or `server` (PyPI's `schema` is a popular package).
Packages and their data are found here, never listed by hand: every file of a layer folder
that is not Python source ships with the package that holds it (the SDL, the sample release,
the pages' templates and static files, GraphiQL and React vendored in folders named with
their versions, which are not packages themselves).
"""

from pathlib import Path

from setuptools import find_namespace_packages, setup

NAME = "hcpcs_graph"
LAYERS = ("db", "schema", "server")

folders = find_namespace_packages(
    include=[*LAYERS, *(f"{layer}.*" for layer in LAYERS)],
    exclude=["*__pycache__*"],
)


def owner(path: Path) -> str:
    """The nearest package folder holding path."""
    parent = path.parent
    while ".".join(parent.parts) not in folders:
        parent = parent.parent
    return ".".join(parent.parts)


package_data: dict[str, list[str]] = {}
for layer in LAYERS:
    for path in sorted(Path(layer).rglob("*")):
        if (
            path.is_file()
            and path.suffix not in (".py", ".pyc")
            and "__pycache__" not in path.parts
        ):
            package = owner(path)
            inner = path.relative_to(Path(*package.split("."))).as_posix()
            package_data.setdefault(f"{NAME}.{package}", []).append(inner)

packages = [f"{NAME}.{folder}" for folder in folders]
package_dir = {f"{NAME}.{layer}": layer for layer in LAYERS}

if __name__ == "__main__":  # as setuptools runs it; tests/server/test_pages.py imports it
    setup(packages=packages, package_dir=package_dir, package_data=package_data)
