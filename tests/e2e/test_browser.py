"""GraphiQL and the lookup page in a real browser (see tests/browsers.py)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from hcpcs_graph.server.pages import SEED_QUERY
from tests.browsers import Browser, api, screenshot
from tests.conftest import ROOT

expect = pytest.importorskip("playwright.sync_api").expect

README = (ROOT / "README.md").read_text()


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

    screenshot(browser, tmp_path / "graphiql.png")
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
    # 10 codes, the modifiers matching too (at most 3), then "All N matches"
    matching = api(
        browser.origin,
        '{ modifiers(search: "wheelch", release: "2026-01", first: 3) { nodes { code } } }',
    )["modifiers"]["nodes"]
    options = suggestions.get_by_role("option")
    expect(options).to_have_count(11 + len(matching))
    expect(options.and_(page.locator("[data-kind=modifier]"))).to_have_count(len(matching))
    code = k_code.first.get_attribute("data-code")
    assert code and re.fullmatch(r"K\d{4}", code)
    assert {"search": "wheelch", "release": "2026-01"} in browser.graphql_calls()

    # The code's detail, every coded value decoded.
    k_code.first.click()
    expect(page).to_have_url(re.compile(rf"#code/{code}$"))
    expected = api(
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
    screenshot(browser, tmp_path / "lookup-code.png")

    # Walk to the BETOS code: the codes carrying it, counted, a page at a time.
    betos_link.click()
    expect(page).to_have_url(re.compile(rf"#betos/{betos['code']}$"))
    listed = api(
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
    screenshot(browser, tmp_path / "lookup-betos.png")

    # Another release: the page asks for it, and says so.
    page.locator("#release").select_option("2016-01")
    expect(page).to_have_url(re.compile(rf"#betos/{betos['code']}\?release=2016-01$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2016-01")
    old = api(
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
    screenshot(browser, tmp_path / "lookup-2016.png")

    # Every query but the list of releases and the fields' meanings names its release.
    calls = browser.graphql_calls(operations=True)
    assert {name for name, _ in calls} >= {"Releases", "Home", "Suggest", "Code", "Value"}
    unscoped = {"Releases", "Meanings"}
    assert all(variables.get("release") for name, variables in calls if name not in unscoped)
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
    screenshot(browser, tmp_path / "lookup-narrow.png")
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
    found = api(
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
    screenshot(browser, tmp_path / "lookup-terminated.png")


def test_lookup_page_finds_modifiers(browser: Browser, tmp_path: Path) -> None:
    """ "KX" suggests the KX modifier first, marked as one; it has its own page, and a search
    lists modifiers apart from codes."""
    page = browser.page
    page.goto(f"{browser.origin}/")
    search = page.get_by_role("combobox", name="Search codes and descriptions")
    search.press_sequentially("KX", delay=40)
    options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
    expect(options.first).to_have_attribute("data-kind", "modifier")
    expect(options.first).to_have_attribute("data-code", "KX")
    expect(options.first.locator(".row-kind")).to_have_text("Modifier")
    search.press("ArrowDown")
    search.press("Enter")
    expect(page).to_have_url(re.compile(r"#modifier/KX$"))
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text("KX")
    expect(heading).to_contain_text("Documentation on file")
    expect(page.locator(".eyebrow")).to_contain_text("Modifier")
    expect(page.locator(".timeline")).to_contain_text("First loaded release with this modifier")
    screenshot(browser, tmp_path / "lookup-modifier.png")

    # the search page: modifiers in their own list, each linking to its page
    page.goto(f"{browser.origin}/#search/KX")
    modifiers = page.get_by_role("list", name="Matching modifiers, best match first")
    expect(modifiers.get_by_role("link").first).to_have_attribute("href", "#modifier/KX")
    codes = page.get_by_role("list", name="Matching codes, best match first")
    expect(codes.get_by_role("link").first).to_have_attribute("href", re.compile(r"^#code/"))

    # a coded value lists the modifiers carrying it, too
    pricing = api(
        browser.origin,
        '{ modifier(code: "KX") { pricingIndicators { code modifiers(first: 1) { totalCount } } } }',
    )["modifier"]["pricingIndicators"]
    if pricing:
        value = pricing[0]
        page.goto(f"{browser.origin}/#pricing/{value['code']}")
        listed = page.get_by_role("list", name="Modifiers with this pricing indicator")
        expect(listed.get_by_role("link")).to_have_count(min(value["modifiers"]["totalCount"], 50))
    browser.assert_only_own_origin()


def test_lookup_page_shows_a_codes_history(browser: Browser, tmp_path: Path) -> None:
    """A code's page has a timeline of its loaded releases, each change decoded."""
    page = browser.page
    page.goto(f"{browser.origin}/#code/E2300?release=2025-10")
    timeline = page.locator(".timeline")
    events = timeline.locator(":scope > li")
    expect(events.nth(0)).to_contain_text("2016-01")
    expect(events.nth(0)).to_contain_text("First loaded release with this code")
    expect(events.nth(1)).to_have_text("No change in 2017-01, 2018-01, 2019-01, 2020-01")
    ended = events.nth(2)
    expect(ended).to_contain_text("2025-10")
    expect(ended).to_contain_text("Discontinued")
    expect(ended).to_contain_text("Terminated: none → Mar 31, 2024")
    expect(ended).to_contain_text("Action effective: Jan 1, 2014 → Apr 1, 2024")
    expect(events.nth(3)).to_have_text("No change in 2026-01")
    expect(events).to_have_count(4)
    # each release links to the code as it was then
    expect(events.nth(0).get_by_role("link", name="2016-01")).to_have_attribute(
        "href", "#code/E2300?release=2016-01"
    )

    # coded fields are decoded on both sides
    change = api(
        browser.origin,
        """{ hcpcsCode(code: "A4459", release: "2025-10") { changes { toRelease { name }
             differences { field beforeDecoded { code description }
                           afterDecoded { code description } } } } }""",
    )["hcpcsCode"]["changes"]
    betos = next(
        d
        for c in change
        if c["toRelease"]["name"] == "2025-10"
        for d in c["differences"]
        if d["field"] == "betos"
    )
    page.goto(f"{browser.origin}/#code/A4459?release=2025-10")
    before, after = betos["beforeDecoded"][0], betos["afterDecoded"][0]
    line = page.locator(".differences li").filter(has_text=re.compile(r"^BETOS:"))
    expect(line).to_have_text(
        f"BETOS: {before['code']} {before['description']} → {after['code']} {after['description']}"
    )
    screenshot(browser, tmp_path / "lookup-history.png")
    browser.assert_only_own_origin()


def test_lookup_page_explains_each_field(browser: Browser) -> None:
    """Each field's label shows what it means (the schema's description) on hover and on
    keyboard focus, is read as the label's description, and Escape hides it."""
    page = browser.page
    fields = api(browser.origin, '{ __type(name: "HcpcsCode") { fields { name description } } }')
    meaning = {f["name"]: f["description"] for f in fields["__type"]["fields"]}
    page.goto(f"{browser.origin}/#code/G6002")
    betos = page.get_by_role("button", name="BETOS", exact=True)
    tip = page.get_by_role("tooltip").filter(has_text=meaning["betos"])
    expect(tip).to_be_hidden()

    # by keyboard: Tab reaches the label, its meaning shows and describes it
    page.get_by_role("button", name="Pricing indicators").focus()
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent") == "BETOS":
            break
        page.keyboard.press("Tab")
    expect(betos).to_be_focused()
    expect(tip).to_be_visible()
    expect(tip).to_have_text(meaning["betos"])
    expect(betos).to_have_accessible_description(meaning["betos"])
    page.keyboard.press("Escape")
    expect(tip).to_be_hidden()

    # by pointer
    coverage = page.get_by_role("button", name="Coverage", exact=True)
    coverage.hover()
    expect(page.get_by_role("tooltip").filter(has_text=meaning["coverage"])).to_be_visible()
    browser.assert_only_own_origin()


def test_release_picker_commits_a_keyboard_choice_on_enter(browser: Browser) -> None:
    """Arrowing through the releases loads none of them; Enter takes the one shown, and
    focus stays on the picker."""
    page = browser.page
    page.goto(f"{browser.origin}/#code/G6002")
    expect(page.locator(".eyebrow-release")).to_have_text("2026-01")
    picker = page.locator("#release")
    picker.focus()
    calls = len(browser.graphql_calls())
    picker.press("ArrowDown")
    picker.press("ArrowDown")
    expect(picker).to_have_value("2020-01")
    page.wait_for_timeout(300)
    assert page.url.endswith("#code/G6002")
    assert len(browser.graphql_calls()) == calls
    picker.press("Enter")
    expect(page).to_have_url(re.compile(r"#code/G6002\?release=2020-01$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2020-01")
    expect(picker).to_be_focused()
    # Escape puts back the release being shown
    picker.press("ArrowUp")
    picker.press("Escape")
    expect(picker).to_have_value("2020-01")
    picker.blur()
    page.wait_for_timeout(300)
    assert page.url.endswith("?release=2020-01")


def test_back_returns_focus_to_the_link_followed(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/#search/wheelchair")
    codes = page.get_by_role("list", name="Matching codes, best match first")
    links = codes.get_by_role("link")
    expect(links).to_have_count(50)
    third = links.nth(2)
    target = third.get_attribute("href")
    third.focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    expect(page.get_by_role("heading", level=1)).to_be_focused()
    page.go_back()
    expect(page).to_have_url(re.compile(r"#search/wheelchair$"))
    expect(links.nth(2)).to_be_focused()
    # and forward again: the code's heading, as when it was first opened
    page.go_forward()
    expect(page.get_by_role("heading", level=1)).to_be_focused()


def test_betos_families_have_distinct_names(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/")
    families = page.locator(".family h3")
    expect(families.first).to_be_visible()
    names = {text.split(maxsplit=1)[0]: text for text in families.all_text_contents()}
    assert names["Y"] != names["Z"], names
    assert "other services" in names["Y"] and "local and undefined codes" in names["Z"]


def test_release_picker_commits_a_choice_from_its_open_list_and_on_tab(browser: Browser) -> None:
    """Space opens the picker's list, whose keys never reach the select: the choice made
    there is taken at once. Arrowing and then Tab commits too, leaving focus where Tab went."""
    page = browser.page
    page.goto(f"{browser.origin}/#code/A4459")
    expect(page.locator(".eyebrow-release")).to_have_text("2026-01")
    picker = page.locator("#release")
    picker.focus()
    picker.press(" ")
    # the list's own choice, as Chromium reports it: a change event with no key on the select
    picker.evaluate("""el => { el.value = '2025-10'; el.dispatchEvent(new Event('change')); }""")
    expect(page).to_have_url(re.compile(r"#code/A4459\?release=2025-10$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2025-10")

    page.goto("about:blank")  # a fresh page: the list Space opened is gone
    page.goto(f"{browser.origin}/#code/A4459?release=2025-10")
    expect(page.locator(".eyebrow-release")).to_have_text("2025-10")
    picker.focus()
    picker.press("ArrowDown")
    page.keyboard.press("Tab")
    expect(page).to_have_url(re.compile(r"#code/A4459\?release=2020-01$"))
    expect(page.locator(".eyebrow-release")).to_have_text("2020-01")
    expect(page.get_by_role("heading", level=1)).not_to_be_focused()
    assert page.evaluate("document.activeElement.id") != "release"


def test_an_unknown_release_leads_back_to_a_loaded_one(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/#code/K0001?release=2099-01")
    expect(page.get_by_role("alert")).to_contain_text("2099-01")
    expect(page.get_by_role("link", name="Back to the start")).to_have_attribute("href", "#home")
    expect(page.locator(".brand")).to_have_attribute("href", "#")
    page.get_by_role("link", name="Back to the start").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Look up a HCPCS Level II code")
    expect(page.locator("#release option[data-missing]")).to_have_count(0)


def test_every_list_of_codes_marks_terminated_ones(browser: Browser) -> None:
    """Cross references and "Referenced by" mark a terminated code with its date too."""
    page = browser.page
    record = api(
        browser.origin,
        """{ hcpcsCode(code: "S8032", release: "2026-01") {
             crossReferences { target { code status terminationDate } }
             referencedBy { code status terminationDate } } }""",
    )["hcpcsCode"]
    ended = [x["target"] for x in record["crossReferences"] if x["target"]]
    ended = [t for t in ended if t["status"] == "TERMINATED"]
    assert ended, record
    page.goto(f"{browser.origin}/#code/S8032?release=2026-01")
    for target in ended:
        link = page.locator(".values a").filter(has=page.locator("code", has_text=target["code"]))
        expect(link.locator(".row-status")).to_have_text(f"terminated {target['terminationDate']}")


def test_history_of_a_code_number_reused_and_a_code_first_seen_terminated(
    browser: Browser,
) -> None:
    page = browser.page
    # J1440 was dropped from the file, then came back as another product
    page.goto(f"{browser.origin}/#code/J1440?release=2026-01")
    events = page.locator(".timeline > li")
    back = events.filter(has_text="Back in the file")
    expect(back).to_have_count(1)
    expect(back).to_contain_text("2025-10")
    expect(back.locator(".event-note")).to_contain_text("last seen in")
    expect(events.filter(has_text="Not in this release's file.")).to_have_count(1)
    # DA was missing from one release's file only
    page.goto(f"{browser.origin}/#modifier/DA?release=2026-01")
    expect(page.locator(".timeline > li").filter(has_text="Back in the file")).to_have_count(1)
    # Q9995 first appears already terminated
    page.goto(f"{browser.origin}/#code/Q9995?release=2026-01")
    expect(page.locator(".timeline > li").first).to_contain_text("Already terminated there")


def test_field_meanings_close_by_click_elsewhere_and_one_at_a_time(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/#code/A4459")
    pricing = page.get_by_role("button", name="Pricing indicators")
    coverage = page.get_by_role("button", name="Coverage", exact=True)
    shown = page.locator(".meaning:visible")
    pricing.click()
    page.mouse.move(0, 0)
    expect(shown).to_have_count(1)
    coverage.click()
    page.mouse.move(0, 0)
    expect(shown).to_have_count(1)
    expect(coverage).not_to_have_attribute("aria-expanded", re.compile(".*"))
    page.locator("h1").click()
    expect(shown).to_have_count(0)
    # Escape hides one shown by hover, with focus elsewhere
    page.locator("h1").focus()
    coverage.hover()
    expect(shown).to_have_count(1)
    page.keyboard.press("Escape")
    expect(shown).to_have_count(0)


def test_back_after_show_more_returns_to_the_link_followed(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/#tos/1")
    codes = page.get_by_role("list", name="Codes with this type of service")
    expect(codes.get_by_role("listitem")).to_have_count(50)
    page.get_by_role("button", name=re.compile("^Show more")).first.click()
    expect(codes.get_by_role("listitem")).to_have_count(100)
    link = codes.get_by_role("link").nth(60)
    target = link.get_attribute("href")
    link.click()
    expect(page).to_have_url(re.compile(re.escape(target) + "$"))
    page.go_back()
    expect(codes.get_by_role("listitem")).to_have_count(100)
    expect(codes.get_by_role("link").nth(60)).to_be_focused()


def test_a_search_matching_only_modifiers_says_no_code_matches(browser: Browser) -> None:
    page = browser.page
    page.goto(f"{browser.origin}/#search/QW")
    expect(page.get_by_role("list", name="Matching modifiers, best match first")).to_be_visible()
    expect(page.locator("#codes-heading").locator("..").locator("..")).to_contain_text(
        "No codes match; the modifiers above do."
    )
