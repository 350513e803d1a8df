"""Node ids: one id, one view. A client cache (Apollo, Relay, urql) keeps one copy per id,
so an object whose fields differ by release (or by `asOf`) must have an id naming it, and
node(id:) must answer the very view the id was read from."""

from __future__ import annotations

import base64

import pytest

from tests.conftest import RELEASES, Run

BETOS = """query($r: String!) { hcpcsCode(code: "E0100", release: $r) {
    betos { id code codes { totalCount } } } }"""
NODE = "query($id: ID!) { node(id: $id) { id ... on BetosCode { code codes { totalCount } } } }"


def _text(node_id: str) -> str:
    return base64.urlsafe_b64decode(node_id + "=" * (-len(node_id) % 4)).decode()


def _id(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


async def test_a_coded_values_id_names_the_release_it_was_reached_from(run: Run) -> None:
    old = (await run(BETOS, {"r": "2020-01"}))["hcpcsCode"]["betos"]
    new = (await run(BETOS, {"r": "2025-10"}))["hcpcsCode"]["betos"]
    assert old["code"] == new["code"] == "D1E"
    assert (old["codes"]["totalCount"], new["codes"]["totalCount"]) == (385, 453)
    assert old["id"] != new["id"]
    assert _text(old["id"]) == "BetosCode:2020-01:D1E"
    assert (await run(NODE, {"id": old["id"]}))["node"] == old
    assert (await run(NODE, {"id": new["id"]}))["node"] == new


# One view of every node type: what a client would cache under the id. A nested object
# is its id only; its own view is checked where it was reached.
VIEW = """fragment V on Node { __typename id
  ... on CodedValue { code description codes { totalCount } modifiers { totalCount } }
  ... on BetosCode { family { code description } }
  ... on PricingIndicator { feeSchedule }
  ... on LabCertification { parent { id } }
  ... on ProcessingNote { number text codes { totalCount } }
  ... on Release { name effectiveDate codeCount modifierCount }
  ... on HcpcsRecord { code shortDescription status statusDate release { id } betos { id }
                       action { id } processingNote { id } typesOfService { id } } }"""
REACH = """fragment R on HcpcsRecord { ...V
  r1: pricingIndicators { ...V } r2: multiplePricingIndicator { ...V } r3: coverage { ...V }
  r4: betos { ...V } r5: typesOfService { ...V } r6: action { ...V }
  r7: labCertifications { ...V parent { ...V } } r8: ascPaymentGroup { ...V }
  r9: mogPaymentGroup { ...V } r10: mogPaymentPolicyIndicator { ...V }
  r11: processingNote { ...V } r12: release { ...V }
  crossReferences { target { ...V } hcpcsCode { ...V } } }"""
# Per release: records and what hangs under them (a query each: the alias limit), records
# looked up asOf a date, one code's history and changes, then every table's values and notes.
_REACHED = [
    "release(name: $r) { ...V list: codes(first: 6) { nodes { ...R } } }",
    "release(name: $r) { list: modifiers(first: 6) { nodes { ...R } } }",
    'hcpcsCodes(release: $r, filter: {codes: ["A4218", "G0027", "A9527"]}) { nodes { ...R } }',
]
RECORDS = [f"query($r: String!) {{ {q} }}" + REACH + VIEW for q in _REACHED]
RECORDS.append(
    """query($r: String!) {
  asOf: hcpcsCode(code: "E0100", release: $r, asOf: "2030-06-01") { ...V }
  asOfModifier: modifier(code: "LT", release: $r, asOf: "2030-06-01") { ...V }
  hcpcsCode(code: "E0100", release: $r) {
    history { ...V } changes { before { ...V } after { ...V } action { ...V } } }
}"""
    + VIEW
)
_LISTED = [
    """pricingIndicators(release: $r) { ...V } multiplePricingIndicators(release: $r) { ...V }
    coverageCodes(release: $r) { ...V } betosCodes(release: $r) { ...V }
    typesOfService(release: $r) { ...V } actionCodes(release: $r) { ...V }""",
    """labCertifications(release: $r) { ...V } ascPaymentGroups(release: $r) { ...V }
    mogPaymentGroups(release: $r) { ...V } mogPaymentPolicyIndicators(release: $r) { ...V }
    processingNotes(release: $r) { ...V } releases { ...V }""",
]
LISTS = [f"query($r: String!) {{ {q} }}" + VIEW for q in _LISTED]
DIFF = (
    """query($from: String!, $to: String!) {
  releaseDiff(from: $from, to: $to, first: 10, filter: {kinds: [CHANGED, ADDED]}) {
    nodes { before { ...V } after { ...V } action { ...V } } }
  decoded: releaseDiff(from: $from, to: $to, first: 1, filter: {fields: ["betos"]}) {
    nodes { differences { beforeDecoded { ...V } afterDecoded { ...V } } } }
}"""
    + VIEW
)
NODE_TYPES = {
    "Release", "HcpcsCode", "Modifier", "ProcessingNote", "PricingIndicator",
    "MultiplePricingIndicator", "CoverageCode", "BetosCode", "TypeOfService", "ActionCode",
    "LabCertification", "AscPaymentGroup", "MogPaymentGroup", "MogPaymentPolicyIndicator",
}  # fmt: skip


def _views(data: object, into: dict[str, list[dict]]) -> None:
    """Every object of a node type in an answer, by id."""
    if isinstance(data, dict):
        if "__typename" in data:
            into.setdefault(data["id"], []).append(data)
        for value in data.values():
            _views(value, into)
    elif isinstance(data, list):
        for value in data:
            _views(value, into)


async def _ask_nodes(run: Run, node_ids: list[str]) -> dict[str, dict]:
    """node(id:) for each id, 25 to a query."""
    answers = {}
    for start in range(0, len(node_ids), 25):
        batch = node_ids[start : start + 25]
        heads = ", ".join(f"$i{n}: ID!" for n in range(len(batch)))
        body = " ".join(f"n{n}: node(id: $i{n}) {{ ...V }}" for n in range(len(batch)))
        data = await run(
            f"query({heads}) {{ {body} }}" + VIEW, {f"i{n}": i for n, i in enumerate(batch)}
        )
        answers.update({i: data[f"n{n}"] for n, i in enumerate(batch)})
    return answers


async def test_every_node_type_in_every_release_has_one_view_per_id(run: Run) -> None:
    """Ids reached by real queries in every loaded release: wherever an id is met, its
    object reads the same, and node(id:) answers that same view."""
    views: dict[str, list[dict]] = {}
    names = list(RELEASES)
    for release in names:
        for query in RECORDS + LISTS:
            _views(await run(query, {"r": release}), views)
    # a diff is ~1 s to compute: one, of the releases the issue named (`changes` did the rest)
    _views(await run(DIFF, {"from": "2020-01", "to": "2025-10"}), views)

    seen = {(_text(i).split(":")[1], found[0]["__typename"]) for i, found in views.items()}
    assert seen == {(r, t) for r in names for t in NODE_TYPES}
    # the view of an object reached twice is the same: each reach added its own fields
    for node_id, found in views.items():
        common = set.intersection(*(set(v) for v in found))
        assert len({repr({k: v[k] for k in sorted(common)}) for v in found}) == 1, node_id

    # node(id:) for a few ids of each type in each release, and every record asOf a date
    asked: dict[tuple[str, str], list[str]] = {}
    for node_id, found in views.items():
        text = _text(node_id)
        picked = asked.setdefault((text.split(":")[1], found[0]["__typename"]), [])
        if len(picked) < 4 or text.count(":") == 3:
            picked.append(node_id)
    answers = await _ask_nodes(run, [i for picked in asked.values() for i in picked])
    assert len(answers) >= len(seen)
    for node_id, answer in answers.items():
        assert answer is not None and answer["id"] == node_id, _text(node_id)
        for reached in views[node_id]:
            assert {k: reached[k] for k in answer} == answer, _text(node_id)


async def test_a_records_id_names_the_date_its_status_is_for(run: Run) -> None:
    query = """{ plain: hcpcsCode(code: "E0100", release: "2019-01") { id status statusDate }
      asOf: hcpcsCode(code: "E0100", release: "2019-01", asOf: "2019-01-01") { id statusDate }
      early: hcpcsCode(code: "E0100", release: "2019-01", asOf: "1980-01-01") {
        id status statusDate } }"""
    data = await run(query)
    assert _text(data["plain"]["id"]) == "HcpcsCode:2019-01:E0100"
    assert data["asOf"]["id"] == data["plain"]["id"]  # the release's own date: the same view
    assert _text(data["early"]["id"]) == "HcpcsCode:2019-01:E0100:1980-01-01"
    assert (data["plain"]["status"], data["early"]["status"]) == ("ACTIVE", "NOT_YET_ADDED")
    node = "query($id: ID!) { node(id: $id) { id ... on HcpcsCode { status statusDate } } }"
    assert (await run(node, {"id": data["early"]["id"]}))["node"] == data["early"]


@pytest.mark.parametrize(
    "text",
    [
        "HcpcsCode:2025-10:ZZZZZ",  # no such code in the release
        "Modifier:2025-10:E0100",  # a code, not a modifier
        "BetosCode:2025-10:ZZZ",
        "ProcessingNote:2025-10:999",
        "ProcessingNote:2016-01:999",
    ],
)
async def test_an_id_its_release_lacks_is_null(run: Run, text: str) -> None:
    data = await run("query($id: ID!) { node(id: $id) { id } }", {"id": _id(text)})
    assert data == {"node": None}


async def test_ids_made_before_ids_named_the_release_read_as_the_newest(run: Run) -> None:
    query = "query($id: ID!) { node(id: $id) { id ... on BetosCode { code } } }"
    data = await run(query, {"id": _id("BetosCode:I4B")})
    assert data["node"] == {"id": _id("BetosCode:2026-01:I4B"), "code": "I4B"}


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("A" * 201, "'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA'... is not the id of any object"),
        ("not base64!", "'not base64!' is not the id of any object"),
        ("", "'' is not the id of any object"),
        ("QQ==", "'QQ==' is not the id of any object"),
        ("Q", "'Q' is not the id of any object"),
        (
            base64.urlsafe_b64encode(b"\xff\xfe:2025-10").decode().rstrip("="),
            "is not the id of any object",
        ),
        (_id("Nothing:2025-10:E0100"), "is not the id of any object"),
        (_id("HcpcsCode:2025-10"), "is not the id of any object"),
        (_id("HcpcsCode:E0100"), "is not the id of any object"),
        (_id("HcpcsCode:2025-10:E0100:2025-13-01"), "is not the id of any object"),
        (_id("HcpcsCode:2025-10:E0100:1 2"), "is not the id of any object"),
        (_id("ProcessingNote:2025-10:x1"), "is not the id of any object"),
        (_id("ProcessingNote:2025-10:012"), "is not the id of any object"),
        (_id("ProcessingNote:2025-10:1:2"), "is not the id of any object"),
        (_id("Release:2025-10:extra"), "is not the id of any object"),
        (_id("Release:banana"), "is not the id of any object"),
        (_id("BetosCode"), "is not the id of any object"),
        (
            _id("BetosCode:1999-01:D1E"),
            "this id is of release 1999-01, which is not loaded; loaded releases: 2016-01, "
            "2017-01, 2018-01, 2019-01, 2020-01, 2025-10, 2026-01",
        ),
        (_id("HcpcsCode:2030-01:E0100"), "this id is of release 2030-01, which is not loaded"),
    ],
)
async def test_what_is_no_id_of_ours_is_bad_user_input(run: Run, value: str, message: str) -> None:
    result = await run("query($id: ID!) { node(id: $id) { id } }", {"id": value}, errors=True)
    [error] = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "id"}, error
    assert message in error.message and len(error.message) < 200
    assert result.data == {"node": None}
