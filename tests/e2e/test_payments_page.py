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
    """G9871 (active in 2026-01) is in none of the schedules of issues 18 and 19 (G6002,
    used here before, has physician fee schedule rows)."""
    browser = payments_browser
    page = browser.page
    code = api(
        browser.origin,
        """{ hcpcsCode(code: "G9871") { status drugPricing { dosage } ndcs { ndc }
             dmeposFees { floor } physicianFeeSchedule { modifier } labFees { rate }
             ascPayment { paymentRate } outpatientPayment { paymentRate } } }""",
    )["hcpcsCode"]
    assert code == {
        "status": "ACTIVE",
        "drugPricing": None,
        "ndcs": [],
        "dmeposFees": [],
        "physicianFeeSchedule": [],
        "labFees": [],
        "ascPayment": None,
        "outpatientPayment": None,
    }
    page.goto(f"{browser.origin}/#code/G9871")
    expect(page.get_by_role("heading", level=1)).to_contain_text("G9871")
    expect(page.get_by_role("heading", name="Payment and coverage")).to_be_visible()
    expect(page.get_by_role("heading", name="What Medicare pays")).to_have_count(0)
    expect(page.locator(".payments")).to_have_count(0)
    expect(page.locator(".pay-part")).to_have_count(0)
    expect(page.get_by_role("combobox", name="Locality", exact=True)).to_have_count(0)
    names = [name for name, _ in browser.graphql_calls(operations=True)]
    assert "Localities" not in names and "PfsPayment" not in names, names


# ------------------------------------------------- physician, lab, ASC and OPPS (issue 19)

PFS_ROW = (
    "modifier status { code description } nonFacilityTotal facilityTotal"
    " globalDays { code } conversionFactor " + SCHEDULE
)


def shown_amount(cell: object, amount: str | None) -> None:
    """A PFS amount as the page shows it: the API's exact string, or "not applicable"."""
    if amount is None:
        expect(cell).to_have_text("not applicable")
        expect(cell.locator("[data-amount]")).to_have_count(0)
    else:
        expect(cell.locator(".money")).to_have_attribute("data-amount", amount)
        expect(cell).to_have_text(dollars(amount))


def test_pfs_payment_at_a_chosen_locality_is_the_apis(
    payments_browser: Browser, tmp_path: Path
) -> None:
    browser = payments_browser
    page = browser.page
    rows = api(
        browser.origin, f'{{ hcpcsCode(code: "G0438") {{ physicianFeeSchedule {{ {PFS_ROW} }} }} }}'
    )["hcpcsCode"]["physicianFeeSchedule"]
    assert rows and rows[0]["status"]["code"] == "A", rows
    localities = api(
        browser.origin,
        "query($s: String) { localities(schedule: $s) { id state name } }",
        s=rows[0]["schedule"]["name"],
    )["localities"]
    ids = [loc["id"] for loc in localities]
    locality = "13202-01" if "13202-01" in ids else ids[0]
    payments = api(
        browser.origin,
        """query($l: String!) { hcpcsCode(code: "G0438") { physicianFeeSchedule {
             modifier payment(locality: $l) { locality { id name } nonFacility facility } } } }""",
        l=locality,
    )["hcpcsCode"]["physicianFeeSchedule"]
    assert [p["modifier"] for p in payments] == [r["modifier"] for r in rows]
    # G0438 is not done in a facility: one amount is null, and the page says why
    assert any(p["payment"]["facility"] is None for p in payments), payments

    page.goto(f"{browser.origin}/#code/G0438")
    part = page.locator("[data-part=pfs]")
    expect(part.get_by_role("heading", name="Physician fee schedule")).to_be_visible()
    expect(part.locator(".schedule-line").first).to_contain_text(rows[0]["schedule"]["name"])
    expect(part.locator(".pfs-cf .money")).to_have_attribute(
        "data-amount", rows[0]["conversionFactor"]
    )
    table = part.locator("table")
    for r in rows:
        row = table.locator(f"tbody tr[data-modifier='{r['modifier'] or ''}']")
        expect(row.locator(".pfs-status")).to_contain_text(r["status"]["code"])
        expect(row).to_contain_text(r["nonFacilityTotal"])
        expect(row).to_contain_text(r["globalDays"]["code"])
    expect(part).to_contain_text(r["status"]["description"])  # the legend: the whole text
    expect(table.locator(".pfs-nonfacility")).to_have_count(0)  # no locality yet

    picker = page.get_by_role("combobox", name="Locality", exact=True)
    expect(picker).to_be_enabled()
    expect(picker).to_have_value("")  # a fresh profile: none chosen yet
    # grouped by state, in the API's order
    states = list(dict.fromkeys(loc["state"] for loc in localities))
    assert [g.get_attribute("label") for g in picker.locator("optgroup").all()] == states
    assert [o.get_attribute("value") for o in picker.locator("optgroup option").all()] == ids

    before = len(browser.graphql_calls())
    picker.select_option(locality)
    for p in payments:
        row = table.locator(f"tbody tr[data-modifier='{p['modifier'] or ''}']")
        shown_amount(row.locator(".pfs-nonfacility"), p["payment"]["nonFacility"])
        shown_amount(row.locator(".pfs-facility"), p["payment"]["facility"])
    expect(part.locator(".pfs-where")).to_contain_text(payments[0]["payment"]["locality"]["name"])
    expect(part.locator(".pfs-why")).to_contain_text("NA indicator")
    # choosing a locality is one small request: the payment there, nothing else
    asked = browser.graphql_calls(operations=True)[before:]
    assert [name for name, _ in asked] == ["PfsPayment"], asked
    assert asked[0][1]["locality"] == locality
    screenshot(browser, tmp_path / "payments-pfs.png")

    # arrowing through localities by keyboard asks for the one it rests on, once
    before = len(browser.graphql_calls())
    picker.focus()
    for _ in range(3):
        picker.press("ArrowDown")
    rested = picker.input_value()
    assert rested != locality
    expect(part.locator(".pfs-where")).to_contain_text(f"{rested} ")
    asked = browser.graphql_calls(operations=True)[before:]
    assert asked == [("PfsPayment", {**asked[0][1], "locality": rested})], asked
    picker.select_option(locality)
    shown_amount(
        table.locator("tbody tr").first.locator(".pfs-nonfacility"),
        payments[0]["payment"]["nonFacility"],
    )

    # remembered on a later visit, and its amounts asked for at once
    page.goto(f"{browser.origin}/#code/G2211")
    expect(page.get_by_role("combobox", name="Locality", exact=True)).to_have_value(locality)
    page.goto("about:blank")
    page.goto(f"{browser.origin}/#code/G0438")
    expect(page.get_by_role("combobox", name="Locality", exact=True)).to_have_value(locality)
    shown_amount(
        page.locator("[data-part=pfs] tbody tr").first.locator(".pfs-nonfacility"),
        payments[0]["payment"]["nonFacility"],
    )
    browser.assert_only_own_origin()


def test_a_status_medicare_does_not_pay_has_no_locality_picker(
    payments_browser: Browser,
) -> None:
    browser = payments_browser
    page = browser.page
    rows = api(
        browser.origin,
        '{ hcpcsCode(code: "A4216") { physicianFeeSchedule { status { code description } } } }',
    )["hcpcsCode"]["physicianFeeSchedule"]
    assert rows and all(r["status"]["code"] not in "ART" for r in rows), rows
    page.goto(f"{browser.origin}/#code/A4216")
    part = page.locator("[data-part=pfs]")
    expect(part).to_contain_text(rows[0]["status"]["description"])
    expect(part).to_contain_text("No amounts")
    expect(page.get_by_role("combobox", name="Locality", exact=True)).to_have_count(0)
    # the DMEPOS part of issue 18 is still there
    expect(page.locator("[data-part=dmepos]")).to_be_visible()
    names = [name for name, _ in browser.graphql_calls(operations=True)]
    assert "Localities" not in names and "PfsPayment" not in names, names
    browser.assert_only_own_origin()


def test_opps_asc_and_lab_rates_are_the_apis(payments_browser: Browser, tmp_path: Path) -> None:
    browser = payments_browser
    page = browser.page
    code = api(
        browser.origin,
        f"""{{ hcpcsCode(code: "J9035") {{
             outpatientPayment {{ statusIndicator {{ code description }} apc {{ code }}
               relativeWeight paymentRate nationalUnadjustedCopayment minimumUnadjustedCopayment
               {SCHEDULE} }}
             ascPayment {{ paymentIndicator {{ code description }} paymentWeight paymentRate
               {SCHEDULE} }} }} }}""",
    )["hcpcsCode"]
    opps, asc = code["outpatientPayment"], code["ascPayment"]
    assert opps and opps["paymentRate"] and asc and asc["paymentRate"], code

    page.goto(f"{browser.origin}/#code/J9035")
    part = page.locator("[data-part=opps]")
    expect(part.get_by_role("heading", name="Hospital outpatient (OPPS)")).to_be_visible()
    expect(part.locator(".opps-rate .money")).to_have_attribute("data-amount", opps["paymentRate"])
    expect(part.locator(".opps-rate")).to_have_text(dollars(opps["paymentRate"]))
    expect(part).to_contain_text(opps["statusIndicator"]["description"])
    expect(part.locator(".opps-apc")).to_have_text(opps["apc"]["code"])
    for amount in ("nationalUnadjustedCopayment", "minimumUnadjustedCopayment"):
        if opps[amount] is not None:
            expect(part.locator(f"[data-amount='{opps[amount]}']").first).to_be_visible()
    expect(part.locator(".schedule-line")).to_contain_text(opps["schedule"]["name"])

    part = page.locator("[data-part=asc]")
    expect(part.locator(".asc-rate .money")).to_have_attribute("data-amount", asc["paymentRate"])
    expect(part.locator(".asc-rate")).to_have_text(dollars(asc["paymentRate"]))
    expect(part).to_contain_text(asc["paymentIndicator"]["description"])
    expect(part.locator(".schedule-line")).to_contain_text(asc["schedule"]["name"])
    screenshot(browser, tmp_path / "payments-opps-asc.png")

    # in release 2019-01 the OPPS row is 2019's, in force; the ASC addenda loaded are
    # 2025's, so the page says they are not for that release's date
    old = api(
        browser.origin,
        f"""{{ hcpcsCode(code: "J9035", release: "2019-01") {{ statusDate
             outpatientPayment {{ paymentRate {SCHEDULE} }} ascPayment {{ {SCHEDULE} }} }} }}""",
    )["hcpcsCode"]
    assert old["outpatientPayment"]["schedule"]["effectiveFrom"] <= old["statusDate"]
    assert old["ascPayment"]["schedule"]["effectiveFrom"] > old["statusDate"]
    page.goto(f"{browser.origin}/#code/J9035?release=2019-01")
    expect(page.locator("[data-part=opps] .opps-rate .money")).to_have_attribute(
        "data-amount", old["outpatientPayment"]["paymentRate"]
    )
    expect(page.locator("[data-part=opps] .schedule-line")).to_contain_text(
        old["outpatientPayment"]["schedule"]["name"]
    )
    expect(page.locator("[data-part=opps] .schedule-note")).to_have_count(0)
    expect(page.locator("[data-part=asc] .schedule-note")).to_contain_text("release 2019-01")

    # a lab code's fee, per modifier
    fees = api(
        browser.origin,
        f"""{{ hcpcsCode(code: "G0103") {{ labFees {{ modifier rate indicator {{ code description }}
             effectiveDate {SCHEDULE} }} }} }}""",
    )["hcpcsCode"]["labFees"]
    assert fees
    page.goto(f"{browser.origin}/#code/G0103")
    part = page.locator("[data-part=lab]")
    for fee in fees:
        row = part.locator(f"tbody tr[data-modifier='{fee['modifier'] or ''}']")
        expect(row.locator(".lab-rate .money")).to_have_attribute("data-amount", fee["rate"])
        expect(row).to_contain_text(fee["indicator"]["description"])
        expect(row.locator("time")).to_have_attribute("datetime", fee["effectiveDate"])
    expect(part.locator(".schedule-line").first).to_contain_text(period(fees[0]["schedule"]))
    browser.assert_only_own_origin()


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
