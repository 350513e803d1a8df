"""The lookup page's payment panel and NDC search (issue 18), in a real browser (see
tests/browsers.py) against a server of every HCPCS release and CMS's payment files. Every
expected value is read from the API or the database, never typed in from the files."""

from __future__ import annotations

import re
import sqlite3
from datetime import date
from pathlib import Path

import httpx
import pytest

from tests.browsers import Browser, api, screenshot

expect = pytest.importorskip("playwright.sync_api").expect

SCHEDULE = "schedule { name effectiveFrom effectiveThrough }"
EN_DASH = "\u2013"  # between a period's dates, as the page writes it


def dollars(text: str) -> str:
    """The page's rendering of a Decimal string, written apart from the page's own: the
    digits as given, whole cents filled in, thousands grouped."""
    whole, _, fraction = text.partition(".")
    return f"${int(whole):,}.{fraction.ljust(2, '0')}"


def period(schedule: dict) -> str:
    start = date.fromisoformat(schedule["effectiveFrom"])
    end = date.fromisoformat(schedule["effectiveThrough"])
    assert start.year == end.year, schedule
    return f"{start:%b} {start.day} {EN_DASH} {end:%b} {end.day}, {end.year}"


def ndc_forms(db: Path) -> dict[str, list[str]]:
    """For one NDC of the crosswalk in each 10-digit form (4-4-2, 5-3-2, 5-4-1): the forms
    people type it in, keyed by its 11 digits."""
    with sqlite3.connect(f"file:{db}?mode=ro", uri=True) as con:

        def first(where: str) -> str:
            found = con.execute(
                f"SELECT ndc FROM ndc_crosswalk WHERE ndc11 IS NOT NULL AND {where}"
                " ORDER BY code, row LIMIT 1"
            ).fetchone()
            assert found, where
            return found[0]

        padded = {
            "4-4-2": first("substr(ndc, 1, 1) = '0'"),
            "5-3-2": first("substr(ndc, 7, 1) = '0'"),
            "5-4-1": first("substr(ndc, 12, 1) = '0'"),
        }
    forms = {}
    for form, ndc in padded.items():
        labeler, product, package = ndc.split("-")
        if form == "4-4-2":
            ten = f"{labeler[1:]}-{product}-{package}"
        elif form == "5-3-2":
            ten = f"{labeler}-{product[1:]}-{package}"
        else:
            ten = f"{labeler}-{product}-{package[1:]}"
        forms[labeler + product + package] = [ndc, labeler + product + package, ten]
    return forms


def search_for(page: object, text: str) -> object:
    search = page.get_by_role("combobox", name="Search codes and descriptions")
    search.fill("")
    search.press_sequentially(text, delay=10)
    return search


# ------------------------------------------------------------------------------- the panel


def test_drug_payment_limit_exactly_as_the_file_has_it(
    payments_browser: Browser, tmp_path: Path
) -> None:
    browser = payments_browser
    page = browser.page
    code = api(
        browser.origin,
        f"""{{ hcpcsCode(code: "J9035") {{ statusDate release {{ name }}
             drugPricing {{ dosage paymentLimit coinsurancePercent {SCHEDULE} }} }} }}""",
    )["hcpcsCode"]
    pricing = code["drugPricing"]
    assert pricing and pricing["paymentLimit"], code
    page.goto(f"{browser.origin}/#code/J9035")
    panel = page.get_by_role("region", name="What Medicare pays")
    expect(panel).to_be_visible()
    limit = panel.locator(".asp-limit")
    expect(limit.locator(".money")).to_have_attribute("data-amount", pricing["paymentLimit"])
    expect(limit).to_have_text(f"{dollars(pricing['paymentLimit'])} per {pricing['dosage']}")
    part = panel.locator("[data-part=asp]")
    expect(part.locator(".schedule-line")).to_contain_text(period(pricing["schedule"]))
    expect(part.locator(".schedule-line")).to_contain_text(pricing["schedule"]["name"])
    expect(part).to_contain_text(f"{pricing['coinsurancePercent']}%")
    # the code's release date is after the only loaded ASP quarter: the page says so
    schedule = pricing["schedule"]
    assert code["statusDate"] > schedule["effectiveThrough"], (code, schedule)
    note = part.locator(".schedule-note")
    expect(note).to_contain_text(f"release {code['release']['name']}")
    expect(note).to_contain_text(period(schedule))
    # the payments come with the code: one request for the view (the releases and the
    # fields' meanings are read once per page)
    names = [name for name, _ in browser.graphql_calls(operations=True)]
    assert names.count("Code") == 1 and set(names) <= {"Releases", "Meanings", "Code"}, names
    screenshot(browser, tmp_path / "payments-asp.png")
    browser.assert_only_own_origin()


def test_a_long_ndc_list_shows_ten_rows_then_all(payments_browser: Browser) -> None:
    browser = payments_browser
    page = browser.page
    # the code with the most crosswalk rows, found through the API from a known drug code
    ndcs = api(browser.origin, '{ hcpcsCode(code: "J7512") { ndcs { ndc labeler drugName } } }')[
        "hcpcsCode"
    ]["ndcs"]
    assert len(ndcs) > 100
    page.goto(f"{browser.origin}/#code/J7512")
    table = page.get_by_role("region", name=re.compile(r"^Drug packages \(NDCs\) billed as J7512"))
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(ndcs))
    visible = table.locator("tbody tr:visible")
    expect(visible).to_have_count(10)
    expect(page.locator(".ndc-count")).to_have_text(f"({len(ndcs)})")
    button = page.locator("[data-part=ndc] button")
    expect(button).to_have_accessible_name(f"Show all {len(ndcs)} NDCs")
    button.click()
    expect(visible).to_have_count(len(ndcs))
    assert visible.locator("td:first-child").all_text_contents() == [n["ndc"] for n in ndcs]
    expect(button).to_be_focused()
    expect(button).to_have_attribute("aria-expanded", "true")
    expect(button).to_have_accessible_name("Show the first 10")
    button.click()
    expect(visible).to_have_count(10)
    # at phone width the table scrolls in its own box, not the page
    page.set_viewport_size({"width": 390, "height": 844})
    scroll, inner = page.evaluate("() => [document.documentElement.scrollWidth, innerWidth]")
    assert scroll <= inner
    browser.assert_only_own_origin()


def test_dmepos_fee_for_a_chosen_state_is_the_apis(
    payments_browser: Browser, tmp_path: Path
) -> None:
    browser = payments_browser
    page = browser.page
    everywhere = api(
        browser.origin,
        '{ hcpcsCode(code: "E0100") { dmeposFees { modifiers ceiling floor stateFees { state } } } }',
    )["hcpcsCode"]["dmeposFees"]
    assert everywhere
    states = sorted({s["state"] for f in everywhere for s in f["stateFees"]})
    state = "NY" if "NY" in states else states[0]
    fees = api(
        browser.origin,
        """query($s: String!) { hcpcsCode(code: "E0100") {
             dmeposFees(state: $s) { modifiers stateFees { state nonRural rural } } } }""",
        s=state,
    )["hcpcsCode"]["dmeposFees"]

    page.goto(f"{browser.origin}/#code/E0100")
    picker = page.get_by_role("combobox", name="State", exact=True)
    expect(picker).to_have_value("")  # a fresh profile: no state chosen yet
    options = picker.locator("option")
    assert options.all_text_contents()[1:] == states
    table = page.locator("[data-part=dmepos] table")
    rows = table.locator("tbody tr")
    expect(rows).to_have_count(len(everywhere))
    # no state: the national ceiling and floor, and no state's columns
    expect(table.locator("thead")).to_contain_text("Ceiling")
    expect(table.locator(".fee-nonrural")).to_have_count(0)
    for fee in everywhere:
        row = rows.and_(page.locator(f"[data-modifiers='{' '.join(fee['modifiers'])}']"))
        expect(row.locator(".money").first).to_have_attribute("data-amount", fee["ceiling"])

    picker.select_option(state)
    expect(table.locator("thead")).to_contain_text(f"{state} non-rural")
    for fee in fees:
        (amounts,) = fee["stateFees"]
        row = rows.and_(page.locator(f"[data-modifiers='{' '.join(fee['modifiers'])}']"))
        nonrural = row.locator(".fee-nonrural [data-amount]")
        expect(nonrural).to_have_attribute("data-amount", amounts["nonRural"])
        expect(nonrural).to_have_text(dollars(amounts["nonRural"]))
        expect(row.locator(".fee-rural [data-amount]")).to_have_attribute(
            "data-amount", amounts["rural"]
        )
    screenshot(browser, tmp_path / "payments-dmepos.png")

    # the state is remembered on the next code's page
    page.goto(f"{browser.origin}/#code/E0105")
    page.goto(f"{browser.origin}/#code/E0100")
    expect(page.get_by_role("combobox", name="State", exact=True)).to_have_value(state)
    expect(page.locator("[data-part=dmepos] .fee-nonrural").first).to_be_visible()
    browser.assert_only_own_origin()


def test_a_code_without_payment_data_has_no_panel(payments_browser: Browser) -> None:
    browser = payments_browser
    page = browser.page
    code = api(
        browser.origin,
        '{ hcpcsCode(code: "G6002") { drugPricing { dosage } ndcs { ndc } dmeposFees { floor } } }',
    )["hcpcsCode"]
    assert code == {"drugPricing": None, "ndcs": [], "dmeposFees": []}
    page.goto(f"{browser.origin}/#code/G6002")
    expect(page.get_by_role("heading", level=1)).to_contain_text("G6002")
    expect(page.get_by_role("heading", name="Payment and coverage")).to_be_visible()
    expect(page.get_by_role("heading", name="What Medicare pays")).to_have_count(0)
    expect(page.locator(".payments")).to_have_count(0)


# ------------------------------------------------------------------------------ NDC search


def test_ndc_search_finds_the_same_rows_in_every_form(
    payments_browser: Browser, payments_db: Path, tmp_path: Path
) -> None:
    browser = payments_browser
    page = browser.page
    page.goto(f"{browser.origin}/")
    for ndc11, forms in ndc_forms(payments_db).items():
        expected = api(
            browser.origin, "query($n: String!) { ndc(code: $n) { hcpcsCode } }", n=ndc11
        )["ndc"]
        codes = [r["hcpcsCode"] for r in expected]
        assert codes, ndc11
        for typed in forms:
            page.goto(f"{browser.origin}/")
            search = search_for(page, typed)
            options = page.get_by_role("listbox", name="Suggestions").get_by_role("option")
            expect(options).to_have_count(len(codes))
            expect(options.first.locator(".row-kind")).to_have_text("NDC")
            assert [o.get_attribute("data-code") for o in options.all()] == codes, typed
            search.press("Enter")
            expect(page).to_have_url(re.compile("#ndc/" + re.escape(typed) + "$"))
            listed = page.get_by_role("list", name="Crosswalk rows for this NDC")
            links = listed.get_by_role("link")
            expect(links).to_have_count(len(codes))
            assert [link.get_attribute("href") for link in links.all()] == [
                f"#code/{c}" for c in codes
            ], typed
            expect(listed.locator(".row-kind").first).to_have_text("NDC")
    screenshot(browser, tmp_path / "payments-ndc.png")
    # a row leads to its code's page, where the NDC is in the table
    links.first.click()
    expect(page).to_have_url(re.compile(rf"#code/{codes[0]}$"))
    expect(page.locator(".ndc-table")).to_contain_text(forms[0])
    browser.assert_only_own_origin()


def test_an_ambiguous_ndc_shows_the_servers_message(
    payments_browser: Browser, payments_db: Path
) -> None:
    browser = payments_browser
    page = browser.page
    forms = next(iter(ndc_forms(payments_db).values()))
    typed = forms[2].replace("-", "")  # 10 digits: 4-4-2, 5-3-2 or 5-4-1?
    answer = httpx.post(
        f"{browser.origin}/graphql",
        json={"query": "query($n: String!) { ndc(code: $n) { ndc } }", "variables": {"n": typed}},
        timeout=10,
    ).json()
    (error,) = answer["errors"]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    message = error["message"]

    page.goto(f"{browser.origin}/")
    search = search_for(page, typed)
    suggestions = page.get_by_role("listbox", name="Suggestions")
    expect(suggestions).to_have_text(message)
    search.press("Enter")
    expect(page).to_have_url(re.compile(f"#ndc/{typed}$"))
    alert = page.get_by_role("alert")
    expect(alert.locator(".ndc-error")).to_have_text(message)
    expect(search).to_have_value(typed)
    browser.assert_only_own_origin()
