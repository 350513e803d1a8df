"""The lookup page as a keyboard, screen-reader, low-vision or phone user meets it (issue 15),
in Chromium (tests/browsers.py): axe-core finds nothing on any view, at desktop and phone width,
light and dark; every focus and selection cue contrasts at least 3:1 with what surrounds it;
the release picker and the brand link are named by their visible text; the page does not jump
while it loads; and nothing needs scrolling sideways at 390 px.

axe-core comes from npm, pinned by tests/clients' lockfile (`npm ci --prefix tests/clients`).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from urllib.parse import quote

import httpx
import pytest

from tests.browsers import Browser, api, screenshot
from tests.claim_example import as_text, readme_claim
from tests.conftest import ROOT, in_ci

expect = pytest.importorskip("playwright.sync_api").expect

AXE = ROOT / "tests" / "clients" / "node_modules" / "axe-core" / "axe.min.js"
# axe is served to the page from its own origin by a route of the test: the page's
# Content-Security-Policy (script-src 'self') refuses an inline <script>, and is kept.
AXE_PATH = "/__tests__/axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}
NEWEST = "2026-01"
SUGGESTIONS = "suggestions open"  # the home view with "wheelch" typed and a suggestion chosen
MEANING = "field meaning shown"  # a code's view with a field's label focused, its meaning shown
BRAND = "HCPCS Level II lookup"
STATE_CHOSEN = "fees, a state chosen"  # a DMEPOS code's payment panel with a state picked
FEE_STATE = "NY"
LOCALITY_CHOSEN = "physician fees, a locality chosen"  # G6002's PFS rows (none, TC, 26) priced
FEE_LOCALITY = "13202-01"  # Manhattan
AT_LEAST = 3.0  # WCAG 1.4.11: user-interface components and focus indicators

# Views whose address needs nothing from the data; the coded-value pages and the note take
# theirs from the API (the value with the most codes in the newest release).
FIXED_VIEWS = {
    "home": "#",
    "search": "#search/wheelchair",
    "code": "#code/G6002",
    "modifier": "#modifier/KX",
    "terminated code": "#code/E2300?release=2025-10",
    "BETOS category": "#family/D",
    "code not found": "#code/Z9999",
    "unknown view": "#nope",
    "claim form": "#claim",
}
# the page's route for each coded value -> the root field listing that value's table
KINDS = {
    "betos": "betosCodes",
    "tos": "typesOfService",
    "pricing": "pricingIndicators",
    "multiple-pricing": "multiplePricingIndicators",
    "coverage": "coverageCodes",
    "action": "actionCodes",
    "lab": "labCertifications",
    "asc": "ascPaymentGroups",
    "mog": "mogPaymentGroups",
    "mog-policy": "mogPaymentPolicyIndicators",
}

AXE_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    targets: v.nodes.map(n => n.target.join(' ')),
    summary: v.nodes.length ? v.nodes[0].failureSummary : '',
  }));
}"""

# WCAG 2 contrast from computed styles. A colour is composited over what its element's
# ancestors paint behind it, down to the first opaque background (or the canvas).
COLOUR_JS = """
const rgba = (text) => {
  const m = /rgba?\\(([^)]*)\\)/.exec(text);
  if (!m) throw new Error('not an rgb() colour: ' + text);
  const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
  return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
};
const over = (top, bottom) => [0, 1, 2].map(i => top[i] * top[3] + bottom[i] * (1 - top[3])).concat([1]);
const canvas = () => {
  const probe = document.createElement('div');
  probe.style.backgroundColor = 'Canvas';
  document.body.appendChild(probe);
  const colour = rgba(getComputedStyle(probe).backgroundColor);
  probe.remove();
  return colour;
};
const backgroundOf = (el) => {
  const layers = [];
  for (let e = el; e; e = e.parentElement) {
    const c = rgba(getComputedStyle(e).backgroundColor);
    if (c[3] > 0) layers.push(c);
    if (c[3] >= 1) break;
  }
  let colour = layers.length && layers[layers.length - 1][3] >= 1 ? [0, 0, 0, 1] : canvas();
  for (const layer of layers.reverse()) colour = over(layer, colour);
  return colour;
};
const luminance = (c) => {
  const [r, g, b] = c.slice(0, 3).map(v => {
    v /= 255;
    return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  });
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
};
const ratio = (a, b) => {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return Math.round(((hi + 0.05) / (lo + 0.05)) * 100) / 100;
};
const hex = (c) => '#' + c.slice(0, 3).map(v => Math.round(v).toString(16).padStart(2, '0')).join('');
"""

# The focused element's ring (its outline) against what lies just beyond the ring on each
# side that is on screen: the worst of those is the ring's contrast.
FOCUS_RING = (
    "(el) => {"
    + COLOUR_JS
    + """
  const s = getComputedStyle(el);
  const width = parseFloat(s.outlineWidth) || 0;
  const ring = {
    focused: document.activeElement === el,
    focusVisible: el.matches(':focus-visible'),
    style: s.outlineStyle, width: width,
  };
  if (s.outlineStyle === 'none' || !width) return ring;
  const colour = rgba(s.outlineColor);
  const offset = parseFloat(s.outlineOffset) || 0;
  const r = el.getBoundingClientRect();
  const out = Math.max(offset, 0) + width + 1;
  const points = [
    [r.left - out, r.top + r.height / 2], [r.right + out, r.top + r.height / 2],
    [r.left + r.width / 2, r.top - out], [r.left + r.width / 2, r.bottom + out],
  ].filter(([x, y]) => x >= 0 && y >= 0 && x < innerWidth && y < innerHeight);
  const behind = points.map(([x, y]) => {
    const under = document.elementsFromPoint(x, y).find(e => e !== el && !el.contains(e));
    return backgroundOf(under || document.documentElement);
  });
  if (offset < 0) behind.push(backgroundOf(el));  // a ring drawn inside the element
  const ratios = behind.map(b => [ratio(over(colour, b), b), hex(b)]).sort((a, b) => a[0] - b[0]);
  return Object.assign(ring, {colour: hex(colour), against: ratios[0][1], ratio: ratios[0][0]});
}"""
)

# The highlighted suggestion's cues (its background, outline, inset shadow, borders) against
# the listbox's background: the strongest is what tells it from the others.
SELECTION = (
    "(option) => {"
    + COLOUR_JS
    + """
  const behind = backgroundOf(option.closest('[role=listbox]'));
  const s = getComputedStyle(option);
  const cues = {background: backgroundOf(option)};
  if (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) cues.outline = rgba(s.outlineColor);
  if (s.boxShadow !== 'none') cues['box-shadow'] = rgba(s.boxShadow);
  for (const side of ['Top', 'Right', 'Bottom', 'Left']) {
    if (s['border' + side + 'Style'] !== 'none' && parseFloat(s['border' + side + 'Width']) > 0) {
      cues['border-' + side.toLowerCase()] = rgba(s['border' + side + 'Color']);
    }
  }
  const measured = Object.entries(cues).map(([cue, c]) => [ratio(over(c, behind), behind), cue, hex(c)]);
  measured.sort((a, b) => b[0] - a[0]);
  return {ratio: measured[0][0], cue: measured[0][1], colour: measured[0][2], against: hex(behind)};
}"""
)

# Cumulative Layout Shift of the document so far: every layout-shift entry (buffered: those
# before the observer too) not caused by input, summed; half a second more to catch late ones.
CLS = """() => new Promise(resolve => {
  const shifts = [];
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) {
      if (e.hadRecentInput) continue;
      shifts.push({value: e.value, sources: (e.sources || []).map(s =>
        s.node ? (s.node.id ? '#' + s.node.id : s.node.nodeName + '.' + (s.node.className || '')) : '?')});
    }
  }).observe({type: 'layout-shift', buffered: true});
  setTimeout(() => resolve({cls: shifts.reduce((sum, s) => sum + s.value, 0), shifts}), 500);
})"""

# The text a sighted user reads in an element: rendered, not clipped to a pixel, not a
# decoration hidden from assistive technology (the brand's "HC" mark is a logo).
VISIBLE_TEXT = """(el) => {
  const parts = [];
  const walk = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const parent = walk.currentNode.parentElement;
    if (parent.closest('[aria-hidden=true]') || !parent.checkVisibility()) continue;
    const box = parent.getBoundingClientRect();
    if (box.width <= 1 || box.height <= 1) continue;
    parts.push(walk.currentNode.textContent);
  }
  return parts.join('').replace(/\\s+/g, ' ').trim();
}"""


@pytest.fixture
def axe() -> Path:
    if not AXE.is_file():
        message = f"{AXE} is missing: npm ci --prefix tests/clients"
        if in_ci():
            pytest.fail(message)
        pytest.skip(message)
    return AXE


@pytest.fixture(scope="module")
def views(origin: str) -> dict[str, str]:
    """Every view of the page by name -> its address; a coded-value page shows the value with
    the most codes in the newest release (the MOG tables list none: an empty list)."""
    tables = " ".join(
        f'{kind.replace("-", "_")}: {field}(release: "{NEWEST}") {{ code codes(first: 1) {{ totalCount }} }}'
        for kind, field in KINDS.items()
    )
    data = api(
        origin,
        "{ " + tables + f' notes: processingNotes(release: "{NEWEST}") {{ number codes(first: 1)'
        f' {{ totalCount }} }} betosFamilies(release: "{NEWEST}") {{ code }} }}',
    )
    assert "D" in [family["code"] for family in data["betosFamilies"]]
    found = dict(FIXED_VIEWS)
    for kind in KINDS:
        value = max(data[kind.replace("-", "_")], key=lambda v: v["codes"]["totalCount"])
        found[kind] = f"#{kind}/{value['code']}"
    note = max(data["notes"], key=lambda n: n["codes"]["totalCount"])
    found["processing note"] = f"#note/{note['number']}"
    found[SUGGESTIONS] = "#"
    found[MEANING] = FIXED_VIEWS["code"]
    return found


@pytest.fixture(scope="module")
def payment_views(payments_origin: str) -> dict[str, str]:
    """The views of issue 18 on a server of the payment files: a drug's panel (its ASP limit
    and a long NDC table), a DMEPOS code's with a state chosen, an NDC search's result and
    the server's refusal of an ambiguous NDC; and of issue 19: a code's physician fee
    schedule rows with a locality chosen, its OPPS and ASC rows (a drug with both, in the
    2019-01 release, where the ASC addenda are out of period) and a lab fee."""
    ndcs = api(payments_origin, '{ hcpcsCode(code: "J9035") { ndcs { ndc } } }')
    ndc = ndcs["hcpcsCode"]["ndcs"][0]["ndc"]
    return {
        "drug payments": "#code/J7512",
        STATE_CHOSEN: "#code/E0100",
        "NDC search": f"#ndc/{ndc}",
        "ambiguous NDC": "#ndc/" + ndc.replace("-", "")[1:],
        LOCALITY_CHOSEN: "#code/G6002",
        "OPPS and ASC": "#code/J9035?release=2019-01",
        "lab fee": "#code/G0103",
    }


@pytest.fixture(scope="module")
def claim_views() -> dict[str, str]:
    """The claim view of issue 20: its empty form, README's five-line example checked (every
    verdict, a finding's linked code, an allowed amount) and a line the server refuses."""
    lines = readme_claim()
    bad = [lines[1], {**lines[0], "ndc": lines[0]["ndc"].replace("-", "")[1:]}]
    return {
        "claim form": "#claim",
        "claim checked": "#claim/" + quote(as_text(lines, separator=","), safe=","),
        "claim refused": "#claim/" + quote(as_text(bad, separator=","), safe=","),
    }


def _with_axe(browser: Browser) -> Iterator[object]:
    page = browser.page
    if AXE.is_file():
        page.route(f"{browser.origin}{AXE_PATH}", lambda route: route.fulfill(path=AXE))
    yield page
    browser.assert_only_own_origin()


@pytest.fixture
def page(browser: Browser) -> Iterator[object]:
    """The browser's page, with axe served at AXE_PATH; afterwards, the page stayed on its
    origin and logged no error."""
    yield from _with_axe(browser)


@pytest.fixture
def payments_page(payments_browser: Browser) -> Iterator[object]:
    """The same, on the server of the payment files."""
    yield from _with_axe(payments_browser)


@pytest.fixture
def claims_page(claims_browser: Browser) -> Iterator[object]:
    """The same, on the server of the payment files and NOC lists."""
    yield from _with_axe(claims_browser)


def show(browser: Browser, name: str, address: str) -> None:
    """Load the view afresh (a new document, as a bookmark opens it) and wait until it is
    drawn; for SUGGESTIONS, type into the search box and arrow to the first suggestion; for
    MEANING, focus the first field label that has a meaning."""
    page = browser.page
    page.goto("about:blank")
    page.goto(f"{browser.origin}/{address}")
    expect(page.locator("#view")).to_have_attribute("aria-busy", "false")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    if name == SUGGESTIONS:
        search = page.get_by_role("combobox", name="Search codes and descriptions")
        search.press_sequentially("wheelch", delay=20)
        expect(
            page.get_by_role("listbox", name="Suggestions").get_by_role("option").first
        ).to_be_visible()
        search.press("ArrowDown")
        expect(page.locator("#suggestion-0")).to_have_attribute("aria-selected", "true")
    elif name == MEANING:
        label = page.locator(".term").first
        label.focus()
        expect(page.get_by_role("tooltip").first).to_be_visible()
    elif name == STATE_CHOSEN:
        page.get_by_role("combobox", name="State", exact=True).select_option(FEE_STATE)
        expect(page.locator(".fee-nonrural").first).to_be_visible()
    elif name == LOCALITY_CHOSEN:
        picker = page.get_by_role("combobox", name="Locality", exact=True)
        expect(picker).to_be_enabled()
        picker.select_option(FEE_LOCALITY)
        expect(page.locator(".pfs-nonfacility").first).to_be_visible()


def violations(browser: Browser) -> list[dict]:
    page = browser.page
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=f"{browser.origin}{AXE_PATH}")
    return page.evaluate(AXE_RUN)


def report(found: dict[str, list[dict]]) -> str:
    lines = []
    for view, problems in found.items():
        for v in problems:
            lines.append(f"{view}: {v['id']} ({v['impact']}): {v['help']}")
            lines.extend(f"    {target}" for target in v["targets"][:5])
            if len(v["targets"]) > 5:
                lines.append(f"    and {len(v['targets']) - 5} more")
            lines.append("    " + v["summary"].replace("\n", "\n    "))
    return "\n".join(lines)


def check_views(
    browser: Browser,
    page: object,
    views: dict[str, str],
    prepare: Callable[[str], None] | None = None,
) -> None:
    """axe finds nothing on each view (after `prepare`), and none scrolls sideways but a
    table inside its own box."""
    found, wide = {}, {}
    for name, address in views.items():
        show(browser, name, address)
        if prepare is not None:
            prepare(name)
        problems = violations(browser)
        if problems:
            found[f"{name} ({address})"] = problems
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide[f"{name} ({address})"] = (scroll, inner)
    assert not found, "axe-core violations:\n" + report(found)
    assert not wide, f"wider than the screen (scrollWidth, innerWidth): {wide}"


def focus_ring(name: str, locator: object) -> dict:
    """The focused element's outline, measured; it must be visible and at least 2 px."""
    locator.focus()
    found = locator.evaluate(FOCUS_RING)
    assert found["focused"] and found["focusVisible"], (name, found)
    assert found["style"] != "none" and found["width"] >= 2, (name, found)
    return found


def assert_strong(measured: dict[str, dict], scheme: str) -> None:
    for name, found in measured.items():
        print(f"{scheme}: {name}: {found}")
    weak = {name: found for name, found in measured.items() if found["ratio"] < AT_LEAST}
    assert not weak, f"cues under {AT_LEAST}:1 in the {scheme} scheme: {weak}"


# ----------------------------------------------------------------------------------- axe


@pytest.mark.parametrize(
    "viewport, scheme",
    [(DESKTOP, "light"), (PHONE, "light"), (DESKTOP, "dark"), (PHONE, "dark")],
    ids=["desktop-light", "phone-light", "desktop-dark", "phone-dark"],
)
def test_axe_finds_no_violation_on_any_view(
    axe: Path,
    browser: Browser,
    page: object,
    views: dict[str, str],
    viewport: dict[str, int],
    scheme: str,
) -> None:
    """Every rule axe runs by default (WCAG 2.x A and AA, best practices, colour contrast)."""
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    found = {}
    for name, address in views.items():
        show(browser, name, address)
        problems = violations(browser)
        if problems:
            found[f"{name} ({address})"] = problems
    assert not found, "axe-core violations:\n" + report(found)


@pytest.mark.parametrize(
    "viewport, scheme",
    [(DESKTOP, "light"), (PHONE, "light"), (DESKTOP, "dark"), (PHONE, "dark")],
    ids=["desktop-light", "phone-light", "desktop-dark", "phone-dark"],
)
def test_axe_finds_no_violation_on_the_payment_views(
    axe: Path,
    payments_browser: Browser,
    payments_page: object,
    payment_views: dict[str, str],
    viewport: dict[str, int],
    scheme: str,
) -> None:
    """The same rules on the payment panel and NDC search (issue 18); at phone width
    nothing scrolls sideways but a table inside its own box."""
    page = payments_page
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)
    check_views(payments_browser, page, payment_views)


@pytest.mark.parametrize(
    "viewport, scheme",
    [(DESKTOP, "light"), (PHONE, "light"), (DESKTOP, "dark"), (PHONE, "dark")],
    ids=["desktop-light", "phone-light", "desktop-dark", "phone-dark"],
)
def test_axe_finds_no_violation_on_the_claim_views(
    axe: Path,
    claims_browser: Browser,
    claims_page: object,
    claim_views: dict[str, str],
    viewport: dict[str, int],
    scheme: str,
) -> None:
    """The same rules on the claim form, its results and the server's refusal (issue 20),
    the paste box open; at phone width nothing scrolls sideways."""
    page = claims_page
    page.set_viewport_size(viewport)
    page.emulate_media(color_scheme=scheme)

    def prepare(name: str) -> None:
        if name == "claim checked":
            expect(page.locator(".claim-result")).to_have_count(5)
            expect(page.locator(".claim-allowed").first).to_be_visible()
        elif name == "claim refused":
            expect(page.locator(".claim-problem")).to_be_visible()
        else:
            page.get_by_text("Paste lines as text").click()
            expect(page.get_by_role("textbox", name="Lines as text")).to_be_visible()

    check_views(claims_browser, page, claim_views, prepare)


# ------------------------------------------------------------------- focus and selection


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_every_focus_and_selection_cue_contrasts_3_to_1(
    browser: Browser, page: object, scheme: str
) -> None:
    """A focused element's outline against the background just beyond it, and the
    highlighted suggestion's strongest cue against the listbox: at least 3:1 each."""
    page.emulate_media(color_scheme=scheme)
    measured = {}

    def ring(name: str, locator: object) -> None:
        measured[name] = focus_ring(name, locator)

    show(browser, "search", FIXED_VIEWS["search"])
    ring("skip link", page.locator(".skip-link"))
    ring("brand link", page.locator(".brand"))
    ring("search box", page.locator("#search"))
    ring("release picker", page.locator("#release"))
    ring("link in a list", page.locator(".code-list a").first)
    ring("button", page.get_by_role("button", name=re.compile("^Show more")))
    show(browser, "code", FIXED_VIEWS["code"])
    ring("link in a panel", page.locator(".panel a.value").first)
    ring("link in a sentence", page.locator(".family-line a").first)
    ring("footer link", page.get_by_role("link", name="GraphiQL"))

    show(browser, SUGGESTIONS, "#")
    selected = page.locator("[role=option][aria-selected=true]")
    expect(selected).to_have_count(1)
    measured["highlighted suggestion"] = selected.evaluate(SELECTION)

    assert_strong(measured, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_payment_panels_focus_cues_contrast_3_to_1(
    payments_browser: Browser, payments_page: object, payment_views: dict[str, str], scheme: str
) -> None:
    """The state picker, the NDC table's scrolling box, its links and its "Show all"; the
    locality picker and the physician fee table's scrolling box."""
    page = payments_page
    page.emulate_media(color_scheme=scheme)
    measured = {}

    def ring(name: str, locator: object) -> None:
        measured[name] = focus_ring(name, locator)

    show(payments_browser, "drug payments", payment_views["drug payments"])
    ring("NDC table box", page.locator("[data-part=ndc] .table-scroll"))
    ring("NDC link", page.locator(".ndc-table a").first)
    ring("show all NDCs", page.locator("[data-part=ndc] button"))
    show(payments_browser, STATE_CHOSEN, payment_views[STATE_CHOSEN])
    ring("state picker", page.get_by_role("combobox", name="State", exact=True))
    show(payments_browser, LOCALITY_CHOSEN, payment_views[LOCALITY_CHOSEN])
    ring("locality picker", page.get_by_role("combobox", name="Locality", exact=True))
    ring("physician fee table box", page.locator("[data-part=pfs] .table-scroll"))
    assert_strong(measured, scheme)


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_claim_views_focus_cues_contrast_3_to_1(
    claims_browser: Browser, claims_page: object, claim_views: dict[str, str], scheme: str
) -> None:
    """The header's link to it, the form's fields, buttons and paste box, and the results'
    links to codes."""
    page = claims_page
    page.emulate_media(color_scheme=scheme)
    measured = {}

    def ring(name: str, locator: object) -> None:
        measured[name] = focus_ring(name, locator)

    show(claims_browser, "claim checked", claim_views["claim checked"])
    line = page.get_by_role("group", name="Line 1", exact=True)
    ring("header link", page.get_by_role("link", name="Check a claim"))
    ring("text field", line.get_by_label("Code", exact=True))
    ring("setting picker", line.get_by_label("Setting", exact=True))
    ring("remove button", line.get_by_role("button", name="Remove line 1"))
    ring("add button", page.get_by_role("button", name="Add a line"))
    ring("check button", page.get_by_role("button", name="Check the claim"))
    summary = page.locator(".claim-paste summary")
    ring("paste box toggle", summary)
    summary.click()
    ring("paste box", page.get_by_role("textbox", name="Lines as text"))
    ring("code in force", page.locator(".claim-code a").first)
    ring("finding's code", page.locator(".finding-codes a").first)
    assert_strong(measured, scheme)


# ------------------------------------------------------------------ names of the controls


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_release_picker_is_named_by_its_visible_label(
    browser: Browser, page: object, viewport: dict[str, int]
) -> None:
    """At every width the picker shows its label, "Release", and that label is its whole
    name; the sentence saying what it does is its description."""
    page.set_viewport_size(viewport)
    show(browser, "home", "#")
    picker = page.get_by_role("combobox", name="Release", exact=True)
    expect(picker).to_have_id("release")
    expect(picker).to_have_accessible_description("Every lookup uses this CMS release.")
    label = page.locator("label[for=release]")
    expect(label).to_have_text("Release")
    expect(label).to_be_visible()
    box = label.bounding_box()
    assert box and box["width"] > 20 and box["height"] > 10, box  # not clipped away
    assert box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"], box


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_brand_links_name_contains_its_visible_text(
    browser: Browser, page: object, viewport: dict[str, int]
) -> None:
    """WCAG 2.5.3, label in name: a speech user says what they see."""
    page.set_viewport_size(viewport)
    show(browser, "home", "#")
    brand = page.locator(".brand")
    assert brand.get_attribute("aria-label") is None
    expect(brand).to_have_accessible_name(BRAND)
    expect(page.get_by_role("link", name=BRAND, exact=True)).to_have_count(1)
    seen = brand.evaluate(VISIBLE_TEXT)
    assert seen and seen.lower() in BRAND.lower(), (seen, BRAND)


# -------------------------------------------------------------------------------- layout


def test_the_picker_is_filled_in_the_page_as_served(origin: str) -> None:
    """The release picker arrives with its options, so the top bar has its final width
    before the script runs; the script's own list replaces them with the same."""
    page = httpx.get(f"{origin}/", timeout=10).text
    picker = re.search(r'<select id="release"[^>]*>(.*?)</select>', page, re.S)
    assert picker, page
    options = re.findall(r'<option value="([^"]+)">([^<]+)</option>', picker.group(1))
    releases = [r["name"] for r in api(origin, "{ releases { name } }")["releases"]]
    assert [value for value, _ in options] == releases
    assert options[0][1] == f"{releases[0]} (newest)"
    assert all(text == value for value, text in options[1:])


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_page_does_not_jump_as_it_loads(
    browser: Browser, page: object, viewport: dict[str, int]
) -> None:
    """Cumulative Layout Shift of a fresh load under 0.1 ("good"): the loading placeholder
    and the picker filling in move nothing."""
    page.set_viewport_size(viewport)
    measured = {}
    for name in ("home", "code", "search"):
        show(browser, name, FIXED_VIEWS[name])
        measured[FIXED_VIEWS[name]] = page.evaluate(CLS)
    for address, found in measured.items():
        print(f"CLS {viewport['width']}px {address}: {found['cls']:.4f} {found['shifts']}")
    jumpy = {address: found for address, found in measured.items() if found["cls"] >= 0.1}
    assert not jumpy, jumpy


def test_phone_width_needs_no_horizontal_scrolling(
    browser: Browser, page: object, views: dict[str, str], tmp_path: Path
) -> None:
    """At 390 px every view fits the width; the home and a code view are kept as
    full-page screenshots."""
    page.set_viewport_size(PHONE)
    wide = {}
    for name, address in views.items():
        show(browser, name, address)
        scroll, inner = page.evaluate(
            "() => [document.documentElement.scrollWidth, window.innerWidth]"
        )
        if scroll > inner:
            wide[f"{name} ({address})"] = (scroll, inner)
        if name in ("home", "code"):
            screenshot(browser, tmp_path / f"phone-{name}.png")
    assert not wide, f"wider than the screen (scrollWidth, innerWidth): {wide}"
