"""GraphiQL and the lookup page in a real browser: Debian's Chromium driven by Playwright,
against a real `hcpcs serve` process, with every request to another origin blocked and
reported as a failure (the pages must work where CDNs are unreachable).

Needs /usr/bin/chromium (`apt-get install chromium`; .ci/run installs it). Playwright
only drives it: `playwright install` is never run, no browser is downloaded.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from server.pages import SEED_QUERY
from tests.servers import serving

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

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
README = (Path(__file__).resolve().parents[1] / "README.md").read_text()

if not CHROMIUM.exists():
    message = f"{CHROMIUM} is missing: apt-get install -y chromium"
    if os.environ.get("CI"):
        raise RuntimeError(message)
    pytest.skip(message, allow_module_level=True)


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
    with playwright_api.sync_playwright() as p:
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


def _screenshot(browser: Browser, path: Path) -> None:
    browser.page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
    print(f"screenshot: {path}")


def _api(origin: str, query: str, **variables: object) -> dict:
    response = httpx.post(
        f"{origin}/graphql", json={"query": query, "variables": variables}, timeout=10
    )
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


# ---------------------------------------------------------------------------- GraphiQL


def test_graphiql_runs_the_seed_query_offline(browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/graphql")
    editor = page.locator(".graphiql-query-editor .CodeMirror")
    expect(editor).to_be_visible()
    shown = page.evaluate(
        "() => document.querySelector('.graphiql-query-editor .CodeMirror').CodeMirror.getValue()"
    )
    readme_seed = re.search(r"```graphql\n(.*?)```", README, re.S).group(1)
    assert shown == SEED_QUERY == readme_seed

    with page.expect_response(
        lambda r: r.url == f"{browser.origin}/graphql" and r.request.method == "POST"
        and "G6002" in (r.request.post_data or "")
    ) as answer:  # fmt: skip
        page.locator(".graphiql-execute-button").click()
    assert answer.value.status == 200
    result = page.locator(".result-window")
    expect(result).to_contain_text('"code": "G6002"')
    expect(result).to_contain_text('"shortDescription": "Stereoscopic x-ray guidance"')
    expect(result).to_contain_text('"feeSchedule": "Linked To The Physician Fee Schedule"')

    _screenshot(browser, tmp_path / "graphiql.png")
    assert f"{browser.origin}/static/vendor/graphiql-3.9.0/graphiql.min.js" in browser.requests
    browser.assert_only_own_origin()


def test_graphiql_can_be_switched_off(browser_without_graphiql: Browser) -> None:
    browser = browser_without_graphiql
    page = browser.page
    response = page.goto(f"{browser.origin}/graphql")
    assert response is not None and response.status == 404
    assert "json" in response.headers["content-type"]
    assert "graphiql" not in page.content().lower()
    assert page.locator("script").count() == 0
    # The lookup page still works, without its link to GraphiQL.
    page.goto(f"{browser.origin}/")
    expect(page.locator("#release option")).to_have_count(7)
    expect(page.get_by_role("link", name="GraphiQL")).to_be_hidden()
    browser.errors.clear()  # the 404 of /graphql is reported as a console error
    browser.assert_only_own_origin()


# ------------------------------------------------------------------------- lookup page


def test_lookup_page_search_detail_betos_and_release(browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/")
    expect(page.locator("#release option")).to_have_count(7)
    expect(page.locator("#release")).to_have_value("2026-01")
    expect(page.get_by_role("heading", level=1)).to_have_text("Look up a HCPCS Level II code")

    # Suggestions as you type.
    search = page.get_by_role("combobox", name="Search codes and descriptions")
    search.press_sequentially("wheelch", delay=40)
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions).to_be_visible()
    expect(search).to_have_attribute("aria-expanded", "true")
    k_code = suggestions.get_by_role("option").filter(has_text=re.compile(r"^K\d{4}"))
    expect(k_code.first).to_be_visible()
    expect(suggestions.get_by_role("option")).to_have_count(11)  # 10, then "All N matches"
    code = k_code.first.get_attribute("data-code")
    assert code and re.fullmatch(r"K\d{4}", code)
    assert {"search": "wheelch", "release": "2026-01"} in browser.graphql_calls()

    # The code's detail, every coded value decoded.
    k_code.first.click()
    expect(page).to_have_url(re.compile(rf"#code/{code}$"))
    expected = _api(
        browser.origin,
        """query($c: String!) { hcpcsCode(code: $c, release: "2026-01") {
             shortDescription betos { code description family { description } }
             typesOfService { code description } coverage { code description } } }""",
        c=code,
    )["hcpcsCode"]
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(code)
    expect(heading).to_contain_text(expected["shortDescription"])
    betos = expected["betos"]
    betos_link = page.get_by_role("link", name=f"{betos['code']} {betos['description']}")
    expect(betos_link).to_be_visible()
    expect(page.locator(".family-line")).to_contain_text(betos["family"]["description"])
    for tos in expected["typesOfService"]:
        expect(page.get_by_role("link", name=f"{tos['code']} {tos['description']}")).to_be_visible()
    coverage = expected["coverage"]
    expect(
        page.get_by_role("link", name=f"{coverage['code']} {coverage['description']}")
    ).to_be_visible()
    _screenshot(browser, tmp_path / "lookup-code.png")

    # Walk to the BETOS code: the codes carrying it, counted, a page at a time.
    betos_link.click()
    expect(page).to_have_url(re.compile(rf"#betos/{betos['code']}$"))
    listed = _api(
        browser.origin,
        """query($b: String!, $r: String) { betosCode(code: $b, release: $r) {
             codes(first: 1) { totalCount } } }""",
        b=betos["code"],
        r="2026-01",
    )["betosCode"]["codes"]["totalCount"]
    assert listed > 50  # enough for a second page
    expect(page.locator(".total-count")).to_have_text(f"{listed:,}")
    rows = page.locator(".code-list li")
    expect(rows).to_have_count(50)
    page.get_by_role("button", name=re.compile("^Show more")).click()
    expect(rows).to_have_count(min(listed, 100))
    _screenshot(browser, tmp_path / "lookup-betos.png")

    # Another release: the page asks for it, and says so.
    page.locator("#release").select_option("2016-01")
    expect(page).to_have_url(re.compile(rf"#betos/{betos['code']}\?release=2016-01$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2016-01")
    old = _api(
        browser.origin,
        """query($b: String!) { betosCode(code: $b, release: "2016-01") {
             codes(first: 1) { totalCount } } }""",
        b=betos["code"],
    )["betosCode"]["codes"]["totalCount"]
    expect(page.locator(".total-count")).to_have_text(f"{old:,}")
    assert {"code": betos["code"], "release": "2016-01"} in browser.graphql_calls()
    # Links now stay in that release.
    page.locator(".code-list a").first.click()
    expect(page).to_have_url(re.compile(r"#code/[A-Z]\d{4}\?release=2016-01$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2016-01")
    expect(page.locator("#release")).to_have_value("2016-01")
    _screenshot(browser, tmp_path / "lookup-2016.png")

    # Every query but the list of releases names its release.
    calls = browser.graphql_calls(operations=True)
    assert {name for name, _ in calls} >= {"Releases", "Home", "Suggest", "Code", "Value"}
    assert all(variables.get("release") for name, variables in calls if name != "Releases")
    browser.assert_only_own_origin()


def test_lookup_page_links_and_keyboard(browser: Browser, tmp_path: Path) -> None:
    page = browser.page
    # A linked view opens directly, in the release it names.
    page.goto(f"{browser.origin}/#tos/1?release=2025-10")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Medical care")
    expect(page.locator("#release")).to_have_value("2025-10")
    expect(page.locator(".total-count")).to_have_text(re.compile(r"^[\d,]+$"))

    # Keyboard: type a code, arrow to its suggestion, Enter opens it.
    search = page.get_by_role("combobox", name="Search codes and descriptions")
    search.press_sequentially("G6002", delay=40)
    expect(page.get_by_role("option").first).to_contain_text("G6002")
    search.press("ArrowDown")
    expect(search).to_have_attribute("aria-activedescendant", "suggestion-0")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"#code/G6002\?release=2025-10$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stereoscopic x-ray guidance")
    expect(page.get_by_role("heading", level=1)).to_be_focused()

    # An unknown code says so; narrow screens get one column.
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(f"{browser.origin}/#code/Z9999")
    expect(page.get_by_role("heading", level=1)).to_contain_text("No code Z9999")
    page.goto(f"{browser.origin}/#code/G6002")
    expect(page.locator(".code-title")).to_contain_text("G6002")
    _screenshot(browser, tmp_path / "lookup-narrow.png")
    browser.assert_only_own_origin()


def test_lookup_page_clears_its_search_and_explains_missing_notes(
    browser: Browser, tmp_path: Path
) -> None:
    """The box does not keep text typed before following a suggestion; a note whose text
    is missing says which release lacks its notes file and how to load it."""
    page = browser.page
    page.goto(f"{browser.origin}/")
    search = page.get_by_role("combobox", name="Search codes and descriptions")
    search.press_sequentially("wheelch", delay=40)
    option = page.get_by_role("listbox", name="Suggestions").get_by_role("option").first
    option.click()
    expect(page).to_have_url(re.compile(r"#code/"))
    expect(search).to_have_value("")

    # 2025-10 was loaded from its XLSX alone: no notes file
    page.goto(f"{browser.origin}/#code/A4218?release=2025-10")
    missing = page.locator(".note-text, .muted").filter(has_text="processing notes")
    expect(missing).to_contain_text("Release 2025-10 was loaded without its processing notes")
    expect(missing).to_contain_text("--notes")


def test_lookup_page_marks_terminated_codes(browser: Browser, tmp_path: Path) -> None:
    """E2300 was terminated 2024-03-31 yet is in 2025-10's file: its badge gives the date and
    says what the status is as of, and lists mark it."""
    page = browser.page
    page.goto(f"{browser.origin}/#code/E2300?release=2025-10")
    badges = page.locator(".badges")
    expect(badges).to_contain_text("Terminated Mar 31, 2024")
    expect(badges).to_contain_text("status as of Oct 1, 2025")
    # in a list: a search for the code itself (an exact code is ranked first)
    found = _api(
        browser.origin,
        """{ hcpcsCodes(search: "E2300", release: "2025-10", first: 50) {
             nodes { code status terminationDate } } }""",
    )["hcpcsCodes"]["nodes"]
    ended = [n for n in found if n["status"] == "TERMINATED"]
    assert [n["code"] for n in ended][:1] == ["E2300"]
    page.goto(f"{browser.origin}/#search/E2300?release=2025-10")
    rows = page.locator(".code-list li")
    expect(rows).to_have_count(len(found))
    for node in ended:
        row = rows.filter(has=page.locator(".row-code", has_text=node["code"]))
        expect(row.locator(".row-status")).to_have_text(f"terminated {node['terminationDate']}")
    expect(rows.locator(".row-status")).to_have_count(len(ended))
    _screenshot(browser, tmp_path / "lookup-terminated.png")
