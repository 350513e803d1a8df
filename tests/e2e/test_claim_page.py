"""The lookup page's "Check a claim" view (issue 20), in a real browser (see tests/browsers.py)
against a server of every HCPCS release, the payment files and CMS's NOC lists. The claim is
README's worked example, read from README; what each line should show is asked of the API in
the test, never typed in."""

from __future__ import annotations

import json
import re
from pathlib import Path

import httpx
import pytest

from tests.browsers import Browser, screenshot
from tests.claim_example import CLAIM_QUERY, as_text, readme_claim

expect = pytest.importorskip("playwright.sync_api").expect

VERDICT_TEXT = {"OK": "OK", "WARNING": "Warning", "ERROR": "Error"}
LABELS = {  # the page's label of each field of a line
    "code": "Code",
    "modifiers": "Modifiers",
    "dateOfService": "Date of service",
    "units": "Units",
    "ndc": "NDC",
    "ndcUnits": "NDC units",
    "state": "State",
    "locality": "Locality",
}


def ask(origin: str, lines: list[dict]) -> dict:
    """checkClaimLines' whole answer (data and errors) for the lines."""
    response = httpx.post(
        f"{origin}/graphql", json={"query": CLAIM_QUERY, "variables": {"lines": lines}}, timeout=10
    )
    return response.json()


def checked(origin: str, lines: list[dict]) -> list[dict]:
    body = ask(origin, lines)
    assert "errors" not in body, body
    return body["data"]["checkClaimLines"]


def claim_posts(browser: Browser) -> list[dict]:
    """The bodies of the page's POSTs to /graphql so far."""
    return [json.loads(body) for body in browser.posts]


@pytest.fixture
def claim_page(claims_browser: Browser) -> Browser:
    """The browser, recording the bodies of the page's POSTs to /graphql."""
    browser = claims_browser
    browser.posts = []  # type: ignore[attr-defined]
    browser.page.on(
        "request",
        lambda r: (
            browser.posts.append(r.post_data)  # type: ignore[attr-defined]
            if r.method == "POST" and r.url.endswith("/graphql")
            else None
        ),
    )
    return browser


def open_form(browser: Browser) -> object:
    page = browser.page
    page.goto(f"{browser.origin}/")
    expect(page.locator("#view")).to_have_attribute("aria-busy", "false")
    page.get_by_role("link", name="Check a claim").click()
    expect(page.get_by_role("heading", level=1, name="Check a claim")).to_be_visible()
    expect(page.get_by_role("link", name="Check a claim")).to_have_attribute("aria-current", "page")
    return page


def line_group(page: object, n: int) -> object:
    return page.get_by_role("group", name=f"Line {n}", exact=True)


def type_lines(page: object, lines: list[dict]) -> None:
    for i, line in enumerate(lines):
        group = line_group(page, i + 1)
        if i:
            page.get_by_role("button", name="Add a line").click()
            expect(group.get_by_label("Code", exact=True)).to_be_focused()
        for name, value in line.items():
            text = " ".join(value) if name == "modifiers" else value
            group.get_by_label(LABELS[name], exact=True).fill(text)


def form_lines(page: object, count: int) -> list[dict]:
    """What the form's rows hold, in the README's shape (empty fields left out)."""
    found = []
    for n in range(1, count + 1):
        group = line_group(page, n)
        line = {}
        for name, label in LABELS.items():
            value = group.get_by_label(label, exact=True).input_value()
            if value:
                line[name] = value.split() if name == "modifiers" else value
        found.append(line)
    return found


def assert_results_match(page: object, answer: list[dict]) -> None:
    """Each line's verdict (in words), code in force (linked in its release), findings (rule,
    severity, message, source, linked codes) and allowed amount, as the API answers them."""
    results = page.get_by_role("region", name="Results")
    expect(results).to_be_visible()
    items = results.locator(".claim-result")
    expect(items).to_have_count(len(answer))
    for item, line in zip(items.all(), answer, strict=True):
        n = line["line"]
        expect(item).to_have_attribute("data-line", str(n))
        expect(item.get_by_role("heading", level=3)).to_contain_text(f"Line {n}")
        expect(item.locator(".verdict")).to_have_text(
            re.compile(rf"{VERDICT_TEXT[line['verdict']]}$")
        )
        code = line["code"]
        link = item.locator(".claim-code a")
        expect(link).to_have_attribute(
            "href", f"#code/{code['code']}?release={code['release']['name']}"
        )
        findings = item.locator(".finding")
        assert findings.evaluate_all("fs => fs.map(f => f.dataset.rule)") == [
            f["rule"] for f in line["findings"]
        ], n
        for shown, f in zip(findings.all(), line["findings"], strict=True):
            expect(shown.locator(".severity")).to_have_text(
                re.compile(rf"{f['severity'].title()}$")
            )
            expect(shown.locator(".finding-message")).to_have_text(f["message"])
            expect(shown.locator(".finding-source")).to_have_text(f"Source: {f['source']}")
            hrefs = shown.locator(".finding-codes a").evaluate_all(
                "as => as.map(a => a.getAttribute('href'))"
            )
            assert hrefs == [
                f"#code/{x['code']}?release={x['release']['name']}" for x in f["links"]
            ], (n, f)
        allowed = line["allowed"]
        if allowed:
            amount = item.locator(".claim-allowed-amount strong .money")
            expect(amount).to_have_attribute("data-amount", allowed["amount"])
            expect(item.locator(".claim-allowed")).to_contain_text(allowed["detail"])
            expect(item.locator(".claim-allowed")).to_contain_text(allowed["schedule"]["name"])
        else:
            expect(item.locator(".claim-allowed")).to_have_count(0)


# ----------------------------------------------------------------------------------- tests


def test_typed_lines_show_what_the_api_answers(claim_page: Browser, tmp_path: Path) -> None:
    browser = claim_page
    lines = readme_claim()
    answer = checked(browser.origin, lines)
    # the example covers every verdict, a linked replacement code and an allowed amount
    assert {line["verdict"] for line in answer} == {"OK", "WARNING", "ERROR"}
    assert any(f["links"] for line in answer for f in line["findings"])
    assert any(line["allowed"] for line in answer)
    page = open_form(browser)
    type_lines(page, lines)
    page.get_by_role("button", name="Check the claim").click()
    assert_results_match(page, answer)
    # one request, by POST, with the lines as README writes them
    posts = claim_posts(browser)
    assert len(posts) == 1, posts
    assert "checkClaimLines" in posts[0]["query"]
    assert posts[0]["variables"]["lines"] == [{"modifiers": [], **line} for line in lines]
    # focus on the results, their summary announced
    expect(page.locator("#claim-results-heading")).to_be_focused()
    summary = page.locator(".claim-summary")
    errors = sum(line["verdict"] == "ERROR" for line in answer)
    expect(summary).to_contain_text(f"{len(answer)} lines checked")
    expect(summary).to_contain_text(f"{errors} errors")
    expect(page.locator("#announcer")).to_contain_text(summary.inner_text())
    # the check has an address: the lines as text
    assert "#claim/" + lines[0]["code"] in page.url, page.url
    screenshot(browser, tmp_path / "claim.png")
    browser.assert_only_own_origin()


def test_pasted_lines_give_the_same(claim_page: Browser) -> None:
    browser = claim_page
    lines = readme_claim()
    answer = checked(browser.origin, lines)
    page = open_form(browser)
    page.get_by_text("Paste lines as text").click()
    box = page.get_by_role("textbox", name="Lines as text")
    expect(box).to_have_accessible_description(re.compile("separated by commas or tabs"))
    # a header row of column names, as a spreadsheet's copy has it, is skipped
    box.fill("code\tmodifiers\tdate\n" + as_text(lines, separator="\t"))
    page.get_by_role("button", name="Check the pasted lines").click()
    assert_results_match(page, answer)
    assert form_lines(page, len(lines)) == lines
    assert len(claim_posts(browser)) == 1
    # comma separated, as README's hint shows it: the same answer
    page.get_by_role("button", name="Clear all").click()
    expect(line_group(page, 2)).to_have_count(0)
    page.get_by_text("Paste lines as text").click()  # the check drew the view anew
    box.fill(as_text(lines))
    page.get_by_role("button", name="Check the pasted lines").click()
    expect(page.locator(".claim-result")).to_have_count(len(lines))
    assert_results_match(page, answer)
    browser.assert_only_own_origin()


def test_a_text_line_with_too_many_fields_is_named(claim_page: Browser) -> None:
    page = open_form(claim_page)
    page.get_by_text("Paste lines as text").click()
    box = page.get_by_role("textbox", name="Lines as text")
    box.fill("J9035, , 2025-11-03\n\nA4210, , 2025-11-03, 1, , , , , , , extra")
    page.get_by_role("button", name="Check the pasted lines").click()
    expect(page.locator("#claim-text-problem")).to_contain_text("Line 3 of the text has 11 fields")
    expect(box).to_be_focused()
    expect(box).to_have_attribute("aria-invalid", "true")
    assert claim_posts(claim_page) == []


def test_a_code_link_opens_the_codes_page(claim_page: Browser) -> None:
    browser = claim_page
    lines = readme_claim()
    answer = checked(browser.origin, lines)
    terminated = next(line for line in answer if line["findings"] and line["findings"][0]["links"])
    replacement = terminated["findings"][0]["links"][0]
    page = open_form(browser)
    type_lines(page, lines)
    page.get_by_role("button", name="Check the claim").click()
    item = page.locator(f".claim-result[data-line='{terminated['line']}']")
    item.locator(".finding-codes a").first.click()
    heading = page.get_by_role("heading", level=1)
    expect(heading).to_contain_text(replacement["code"])
    assert page.url.endswith(
        f"#code/{replacement['code']}?release={replacement['release']['name']}"
    )
    # Back: the lines and their results, focus on the link followed
    page.go_back()
    expect(page.locator(".claim-result")).to_have_count(len(answer))
    expect(item.locator(".finding-codes a").first).to_be_focused()
    assert form_lines(page, len(lines)) == lines
    # the code in force opens the code as of its release
    item.locator(".claim-code a").click()
    expect(heading).to_contain_text(terminated["code"]["code"])
    expect(page.locator(".eyebrow-release")).to_have_text(terminated["code"]["release"]["name"])
    browser.assert_only_own_origin()


def test_a_bad_line_shows_the_servers_message_naming_the_line(claim_page: Browser) -> None:
    browser = claim_page
    lines = readme_claim()
    ndc = lines[0]["ndc"]
    bad = [lines[1], {**lines[0], "ndc": ndc.replace("-", "")[1:]}]  # 10 digits, no hyphens
    body = ask(browser.origin, bad)
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT"
    assert error["message"].startswith("line 2 (lines[1].ndc)"), error
    page = open_form(browser)
    type_lines(page, bad)
    page.get_by_role("button", name="Check the claim").click()
    alert = page.locator(".claim-problem")
    expect(alert).to_be_visible()
    expect(alert).to_have_attribute("role", "alert")
    expect(alert.locator(".claim-problem-text")).to_have_text(error["message"])
    field = line_group(page, 2).get_by_label("NDC", exact=True)
    expect(field).to_have_attribute("aria-invalid", "true")
    expect(field).to_be_focused()
    expect(page.locator(".claim-result")).to_have_count(0)
    # a date the Date scalar refuses: the message says which line and field
    field.fill(ndc)
    line_group(page, 1).get_by_label("Date of service", exact=True).fill("2025-13-03")
    page.get_by_role("button", name="Check the claim").click()
    expect(alert.locator(".claim-problem-text")).to_contain_text("Line 1, date of service:")
    expect(alert.locator(".claim-problem-text")).to_contain_text("2025-13-03")
    expect(line_group(page, 1).get_by_label("Date of service", exact=True)).to_be_focused()
    expect(field).not_to_have_attribute("aria-invalid", "true")
    browser.assert_only_own_origin()


def test_back_keeps_the_lines_typed(claim_page: Browser) -> None:
    """Lines typed and not yet checked survive leaving the view and coming Back, and a
    later visit to the view in the same tab."""
    browser = claim_page
    lines = readme_claim()[:2]
    page = open_form(browser)
    type_lines(page, lines)
    page.get_by_role("link", name="HCPCS Level II lookup").click()  # the brand: the start view
    expect(
        page.get_by_role("heading", level=1, name="Look up a HCPCS Level II code")
    ).to_be_visible()
    page.go_back()
    expect(line_group(page, 2)).to_be_visible()
    assert form_lines(page, 2) == lines
    assert claim_posts(browser) == []
    # removing a line is kept too; the header's link brings the lines back
    line_group(page, 1).get_by_role("button", name="Remove line 1").click()
    expect(line_group(page, 2)).to_have_count(0)
    expect(line_group(page, 1).get_by_label("Code", exact=True)).to_be_focused()
    page.goto(f"{browser.origin}/#code/{lines[0]['code']}")
    expect(page.get_by_role("heading", level=1)).to_contain_text(lines[0]["code"])
    page.get_by_role("link", name="Check a claim").click()
    expect(line_group(page, 1)).to_be_visible()
    assert form_lines(page, 1) == lines[1:]
    browser.assert_only_own_origin()


def test_a_line_without_a_date_is_named_before_anything_is_sent(claim_page: Browser) -> None:
    browser = claim_page
    lines = readme_claim()[:2]
    page = open_form(browser)
    page.get_by_role("button", name="Check the claim").click()  # nothing typed
    alert = page.locator(".claim-problem")
    expect(alert).to_contain_text("Type a line first")
    expect(alert).to_be_focused()
    type_lines(page, [lines[0], {"code": lines[1]["code"]}])
    page.get_by_role("button", name="Check the claim").click()
    expect(alert).to_contain_text("Line 2 has no date of service")
    date = line_group(page, 2).get_by_label("Date of service", exact=True)
    expect(date).to_be_focused()
    expect(date).to_have_attribute("aria-invalid", "true")
    assert claim_posts(browser) == []
    date.fill(lines[1]["dateOfService"])
    page.get_by_role("button", name="Check the claim").click()
    expect(page.locator(".claim-result")).to_have_count(2)
    assert len(claim_posts(browser)) == 1
    browser.assert_only_own_origin()
