"""User text reaches SQL only as bound parameters: search text, FTS5 syntax included, and
filter strings."""

from __future__ import annotations

import pytest

from tests.conftest import Run

SEARCH = "query($s: String) { hcpcsCodes(search: $s, first: 5) { totalCount nodes { code } } }"

FTS_SYNTAX = [
    '"',
    '"wheelchair',
    "wheel*",
    "*",
    "wheelchair NEAR cane",
    "NEAR(wheelchair cane, 2)",
    "-wheelchair",
    "wheelchair - cane",
    "code:E0100",
    "short_description:cane",
    "(wheelchair",
    "wheelchair)",
    "wheelchair AND OR NOT cane",
    "^wheelchair",
    "{short_description}: cane",
    "'; DROP TABLE codes; --",
    "caf\u00e9 \u00fcber na\u00efve",
    "\u8f6e\u6905",  # wheelchair in Chinese
    "\U0001f9bd wheelchair",  # the wheelchair emoji
    "\u200b\ufeff",  # zero-width characters only
    "x" * 200,
]


@pytest.mark.parametrize("text", FTS_SYNTAX)
async def test_fts5_syntax_in_search_is_text(run: Run, text: str) -> None:
    result = await run(SEARCH, {"s": text}, errors=None)  # type: ignore[arg-type]
    if isinstance(result, dict):
        assert result["hcpcsCodes"]["totalCount"] >= 0
    else:
        [error] = result.errors
        assert error.extensions["code"] == "BAD_USER_INPUT"


async def test_operators_are_plain_words(run: Run) -> None:
    words = await run(SEARCH, {"s": "wheelchair cane"})
    operators = await run(SEARCH, {"s": 'wheelchair NEAR "cane" -'})
    near = await run(SEARCH, {"s": "near"})
    assert operators["hcpcsCodes"]["totalCount"] <= words["hcpcsCodes"]["totalCount"]
    assert near["hcpcsCodes"]["totalCount"] > 0  # "near" is a word CMS uses


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("wheel\x00chair", "search must not contain NUL characters"),
        ("x" * 201, "search is 201 characters; at most 200"),
        (" ".join(["word"] * 17), "search has 17 words; at most 16"),
        ("!!! --- ***", "search needs at least one letter or digit"),
    ],
)
async def test_refused_search_text(run: Run, text: str, message: str) -> None:
    result = await run(SEARCH, {"s": text}, errors=True)
    [error] = result.errors
    assert error.extensions == {"code": "BAD_USER_INPUT", "argument": "search"}
    assert error.message == message


@pytest.mark.parametrize(
    "value",
    ["'; DROP TABLE codes; --", "I4B' OR '1'='1", '" OR 1=1 --', "\x00", "%", "_", "\u00e9" * 50],
)
async def test_filter_strings_are_bound_parameters(run: Run, value: str) -> None:
    data = await run(
        """query($v: String!) { hcpcsCodes(filter: {betos: $v, coverage: $v, codes: [$v]}) {
            totalCount } a: hcpcsCode(code: $v) { code } }""",
        {"v": value},
    )
    assert data == {"hcpcsCodes": {"totalCount": 0}, "a": None}
    prefix = await run(
        "query($v: String) { hcpcsCodes(filter: {codePrefix: $v}) { totalCount } }", {"v": value}
    )
    assert prefix["hcpcsCodes"]["totalCount"] == 0
