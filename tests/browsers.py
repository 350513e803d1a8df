"""A real browser for tests: Debian's Chromium driven by Playwright, in a fresh profile,
against a real `hcpcs serve` process, with every request to another origin blocked and
reported as a failure (the pages must work where CDNs are unreachable).

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Playwright
only drives it: `playwright install` is never run, no browser is downloaded. tests/conftest.py
registers these fixtures; a test using one is skipped without Playwright or Chromium (and
fails under CI=true, where both must be installed).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from tests.conftest import in_ci
from tests.servers import serving

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
STEP_MS = 5_000  # each wait in a test


def _playwright():
    missing = None
    if not CHROMIUM.exists():
        missing = f"{CHROMIUM} is missing: apt-get install -y chromium"
    try:
        from playwright import sync_api
    except ImportError:
        missing = "Playwright is missing: pip install -e '.[test]'"
    if missing:
        if in_ci():
            pytest.fail(missing)
        pytest.skip(missing)
    return sync_api


@pytest.fixture(scope="module")
def served_db(all_releases_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("browser-db") / "hcpcs.db"
    shutil.copyfile(all_releases_db, path)
    return path


@pytest.fixture(scope="module")
def origin(served_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with serving(served_db, tmp_path_factory.mktemp("serve")) as url:
        yield url


@pytest.fixture(scope="module")
def origin_without_graphiql(
    served_db: Path, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    with serving(
        served_db, tmp_path_factory.mktemp("serve-off"), env={"HCPCS_GRAPHIQL": "false"}
    ) as url:
        yield url


@pytest.fixture(scope="module")
def payments_origin(payments_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of every HCPCS release and CMS's payment files (issue 18); nothing writes to
    the database, so it is served where the fixture built it."""
    with serving(payments_db, tmp_path_factory.mktemp("serve-payments")) as url:
        yield url


@pytest.fixture(scope="module")
def claims_origin(claims_db: Path, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server of every HCPCS release, the payment files and CMS's NOC lists: what claim
    checks read (issue 20); served where the fixture built it, as nothing writes to it."""
    with serving(claims_db, tmp_path_factory.mktemp("serve-claims")) as url:
        yield url


@dataclass
class Browser:
    """A page in a fresh Chromium profile that may reach `origin` only."""

    page: object
    origin: str
    requests: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def same_origin(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/")

    def assert_only_own_origin(self) -> None:
        assert self.requests, "the page made no request at all"
        others = [url for url in self.requests if not self.same_origin(url)]
        assert not others, f"requests to other origins: {others}"
        assert not self.blocked
        assert not self.errors, self.errors

    def graphql_calls(self, operations: bool = False) -> list:
        """The variables of every GraphQL GET the page made (the lookup page's queries);
        with operations=True, (operation name, variables) pairs."""
        calls = []
        for url in self.requests:
            parts = urlsplit(url)
            params = parse_qs(parts.query)
            if parts.path == "/graphql" and "query" in params:
                variables = json.loads(params.get("variables", ["{}"])[0])
                name = re.match(r"query (\w+)", params["query"][0])
                calls.append((name and name.group(1), variables) if operations else variables)
        return calls


def _browser(origin: str, profile: Path) -> Iterator[Browser]:
    with _playwright().sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(CHROMIUM),
            headless=True,
            args=ARGS,
            viewport={"width": 1280, "height": 900},
            service_workers="block",
        )
        try:
            context.set_default_timeout(STEP_MS)
            context.set_default_navigation_timeout(3 * STEP_MS)
            page = context.pages[0] if context.pages else context.new_page()
            browser = Browser(page=page, origin=origin)

            def route(route: object) -> None:
                url = route.request.url  # type: ignore[attr-defined]
                if browser.same_origin(url):
                    route.continue_()  # type: ignore[attr-defined]
                else:
                    browser.blocked.append(url)
                    route.abort("blockedbyclient")  # type: ignore[attr-defined]

            context.route("**/*", route)
            page.on("request", lambda request: browser.requests.append(request.url))
            page.on("pageerror", lambda error: browser.errors.append(f"page error: {error}"))
            page.on(
                "console",
                lambda message: (
                    browser.errors.append(f"console {message.type}: {message.text}")
                    if message.type == "error"
                    else None
                ),
            )
            yield browser
        finally:
            context.close()


@pytest.fixture
def browser(origin: str, tmp_path: Path) -> Iterator[Browser]:
    yield from _browser(origin, tmp_path / "profile")


@pytest.fixture
def browser_without_graphiql(origin_without_graphiql: str, tmp_path: Path) -> Iterator[Browser]:
    yield from _browser(origin_without_graphiql, tmp_path / "profile")


@pytest.fixture
def payments_browser(payments_origin: str, tmp_path: Path) -> Iterator[Browser]:
    yield from _browser(payments_origin, tmp_path / "profile")


@pytest.fixture
def claims_browser(claims_origin: str, tmp_path: Path) -> Iterator[Browser]:
    yield from _browser(claims_origin, tmp_path / "profile")


def screenshot(browser: Browser, path: Path) -> None:
    browser.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")


def api(origin: str, query: str, **variables: object) -> dict:
    response = httpx.post(
        f"{origin}/graphql", json={"query": query, "variables": variables}, timeout=10
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]
