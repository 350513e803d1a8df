"""The pages and their files over HTTP in process: same-origin only, vendored files as
pinned, and shipped with the package. tests/e2e/test_browser.py runs them in Chromium."""

from __future__ import annotations

import hashlib
import html
import importlib.util
import os
import re
from pathlib import Path

import pytest

from hcpcs_graph.server.pages import SEED_QUERY, STATIC, TEMPLATES
from tests.conftest import ROOT, make_client

VENDOR = STATIC / "vendor"
HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}


def _references(page: str) -> list[str]:
    return re.findall(r"""(?:src|href)\s*=\s*["']([^"']*)["']""", page)


def test_the_seed_query_is_the_readmes_first_example() -> None:
    readme = (ROOT / "README.md").read_text()
    assert re.search(r"```graphql\n(.*?)```", readme, re.S).group(1) == SEED_QUERY


async def test_graphiql_is_ours_and_loads_only_from_this_origin(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        page = await client.get("/graphql", headers=HTML)
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        csp = page.headers["content-security-policy"]
        assert "default-src 'self'" in csp and "connect-src 'self'" in csp
        assert "script-src 'self'" in csp and "unsafe-eval" not in csp
        assert "unpkg" not in page.text and "cdn" not in page.text.lower()
        query = re.search(r'data-default-query="([^"]*)"', page.text).group(1)
        assert html.unescape(query) == SEED_QUERY
        references = _references(page.text)
        assert "/static/vendor/graphiql-3.9.0/graphiql.min.js" in references
        assert "/static/vendor/react-18.3.1/react.production.min.js" in references
        for url in references:
            assert url.startswith("/static/"), url
            response = await client.get(url)
            assert response.status_code == 200, url
            assert len(response.content) > 100


async def test_lookup_page_is_served_at_the_root(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        page = await client.get("/")
        assert page.status_code == 200
        assert "<title>HCPCS lookup" in page.text
        assert "default-src 'self'" in page.headers["content-security-policy"]
        assert '<span > — try it in <a href="/graphql">GraphiQL</a>' in page.text
        for url in _references(page.text):
            assert url.startswith(("/static/", "/graphql", "#")), url
            if url.startswith("/static/"):
                assert (await client.get(url)).status_code == 200, url


async def test_graphiql_off_is_no_page_and_no_link(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, graphiql=False) as client:
        page = await client.get("/graphql", headers=HTML)
        assert page.status_code == 404
        assert page.json()["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert "<span hidden> — try it in" in (await client.get("/")).text
        # The API itself still answers.
        api = await client.get("/graphql", params={"query": "{ releases { name } }"})
        assert api.status_code == 200 and api.json()["data"]["releases"]


async def test_static_files_are_cached_by_version_and_compressed(all_releases_db: Path) -> None:
    async with make_client(all_releases_db) as client:
        vendored = await client.get(
            "/static/vendor/graphiql-3.9.0/graphiql.min.js", headers={"Accept-Encoding": "gzip"}
        )
        assert vendored.status_code == 200
        assert vendored.headers["content-encoding"] == "gzip"
        assert vendored.headers["cache-control"] == "public, max-age=31536000, immutable"
        assert vendored.headers["content-type"].startswith("text/javascript")
        assert vendored.content == (VENDOR / "graphiql-3.9.0" / "graphiql.min.js").read_bytes()
        own = await client.get("/static/lookup.js")
        assert own.headers["cache-control"] == "no-cache"
        assert own.headers["x-content-type-options"] == "nosniff"
        again = await client.get(
            "/static/lookup.js", headers={"If-None-Match": own.headers["etag"]}
        )
        assert again.status_code == 304
        for missing in ("/static/nope.js", "/static/%2e%2e/pages.py", "/static/../app.py"):
            assert (await client.get(missing)).status_code == 404, missing


def test_our_files_name_no_other_origin() -> None:
    """Only the vendored files may mention URLs (in comments and strings they never fetch);
    ours must not even mention one, so no edit can slip a CDN in."""
    for path in [p for p in [*STATIC.glob("*"), *TEMPLATES.glob("*")] if p.is_file()]:
        text = path.read_text(encoding="utf-8")
        text = text.replace('xmlns="http://www.w3.org/2000/svg"', "")
        assert not re.search(r"https?://|//[a-z0-9-]+\.[a-z]", text, re.I), path


def test_vendored_files_are_the_pinned_ones_with_their_licences() -> None:
    sums = {}
    for line in (VENDOR / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split(maxsplit=1)
        sums[name] = digest
    on_disk = {str(p.relative_to(VENDOR)) for p in VENDOR.glob("*/*") if p.is_file()}
    assert on_disk == set(sums)
    for name, digest in sums.items():
        assert hashlib.sha256((VENDOR / name).read_bytes()).hexdigest() == digest, name
    fetch = (VENDOR / "fetch.sh").read_text()
    folders = {p.name for p in VENDOR.iterdir() if p.is_dir()}
    assert folders == {"graphiql-3.9.0", "react-18.3.1", "react-dom-18.3.1"}
    for folder in folders:
        package, version = folder.rsplit("-", 1)
        assert f'"{package}@{version} ' in fetch, folder
        assert "MIT License" in (VENDOR / folder / "LICENSE").read_text(), folder
        assert folder in (VENDOR / "README.md").read_text(), folder


@pytest.mark.parametrize("folder", [ROOT / "server" / "static", ROOT / "server" / "templates"])
def test_package_data_ships_every_page_file(folder: Path) -> None:
    """setup.py's package data holds every file the pages need, so an installed wheel serves
    them too (.ci/wheel_smoke.py checks the wheel itself)."""
    spec = importlib.util.spec_from_file_location("hcpcs_setup", ROOT / "setup.py")
    assert spec and spec.loader
    setup = importlib.util.module_from_spec(spec)
    cwd = os.getcwd()
    os.chdir(ROOT)  # setup.py finds its folders relative to the checkout, as setuptools runs it
    try:
        spec.loader.exec_module(setup)
    finally:
        os.chdir(cwd)
    shipped = {
        Path(*package.split(".")[1:]) / inner
        for package, files in setup.package_data.items()
        for inner in files
    }
    for path in folder.rglob("*"):
        if path.is_file() and "__pycache__" not in path.parts:
            relative = path.relative_to(ROOT)
            assert relative in shipped, f"{relative} is not in setup.py's package data"
    assert f"hcpcs_graph.{folder.relative_to(ROOT).as_posix().replace('/', '.')}" in setup.packages
