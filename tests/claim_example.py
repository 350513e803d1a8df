"""README's worked claim (its "Checking claim lines" section), read from README itself, for
the lookup page's tests (issue 20): the lines as the API takes them, and as the page's text
format writes them (server/static/lookup.js, "check a claim")."""

from __future__ import annotations

import json
import re

from tests.conftest import ROOT

# the page's columns, in the order of its text format
COLUMNS = [
    "code",
    "modifiers",
    "dateOfService",
    "units",
    "ndc",
    "ndcUnits",
    "state",
    "locality",
    "setting",
]
CLAIM_QUERY = """query ($lines: [ClaimLineInput!]!) { checkClaimLines(lines: $lines) {
  line verdict code { code release { name } }
  findings { rule severity message source codes links { code release { name } } }
  allowed { amount perUnit units detail schedule { name } } } }"""


def readme_claim() -> list[dict]:
    """The lines of README's five-line example, as written there."""
    readme = (ROOT / "README.md").read_text()
    section = readme[readme.index("### Checking claim lines") :]
    block = re.search(r"```graphql\n(.*?)```", section, re.S)
    assert block, "README's 'Checking claim lines' has no GraphQL example"
    lines = []
    for text in re.findall(r"^\s*\{ (code: .*) \}\s*$", block.group(1), re.M):
        line = {}
        for name, value in re.findall(r'(\w+): ("[^"]*"|\[[^\]]*\])', text):
            line[name] = json.loads(value)
        lines.append(line)
    assert len(lines) == 5, block.group(1)
    return lines


def as_text(lines: list[dict], separator: str = ", ") -> str:
    """Lines in the page's text format: one a line, columns in COLUMNS order, modifiers
    separated by spaces, trailing empty columns left off."""
    rows = []
    for line in lines:
        fields = [
            " ".join(line.get(c) or []) if c == "modifiers" else str(line.get(c) or "")
            for c in COLUMNS
        ]
        while fields and not fields[-1]:
            fields.pop()
        rows.append(separator.join(fields))
    return "\n".join(rows)
