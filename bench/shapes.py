"""The query shapes of bench/suite.py, as each server is asked them, and the wrk scripts.

Every shape but `introspection` and `repeat` draws its variable per request from a pool
(real codes, page starts, search words) inside the wrk script, so the same request seldom
repeats. Ours takes `release: "2025-10"`; the peer and the floor hold only that release.

datasette-graphql names things its own way: snake_case columns, `description_` (it renames
`description`), `<table>_row(pk)` for one row, `<table>(first, after, search)` for a page,
one field per foreign key column, and `<table>_by_<column>_list` for the rows pointing back.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

from graphql import get_introspection_query

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

# ours' queries live with the tests, which check each shape's answers; suite.py takes them from here
from tests.shapes import OURS, RELEASE  # noqa: F401

FIXED_CODE = "G6002"  # the README's example code
SEARCH_WORDS = (
    "wheelchair", "oxygen", "insulin", "catheter", "dressing", "injection", "infusion",
    "syringe", "walker", "orthosis", "prosthesis", "ambulance", "glucose", "battery", "mask",
    "tubing", "splint", "cushion", "mattress", "nebulizer", "pump", "sensor", "knee", "foot",
    "hearing", "lens", "vaccine", "screening", "therapy", "dialysis",
)  # fmt: skip

_PEER_ROW = (
    "code long_description short_description added_date action_effective_date"
    " termination_date "
    + " ".join(f"pricing_indicator_{i} {{ code description_ }}" for i in range(1, 5))
    + " multiple_pricing_indicator { code description_ } coverage { code description_ }"
    " betos { code description_ } "
    + " ".join(f"type_of_service_{i} {{ code description_ }}" for i in range(1, 6))
    + " action_code { code description_ }"
)

# ours' `codes { totalCount }` on a type of service counts the codes with it in any
# position; the peer's columns need one reverse list per position, added up.
_PEER_TOS = "code description_ " + " ".join(
    f"codes_by_type_of_service_{i}_list {{ totalCount }}" for i in range(1, 6)
)


PEER = {
    "code": f"query Code($code: String) {{ codes_row(code: $code) {{ {_PEER_ROW} }} }}",
    "page": f"""query Page($after: String) {{
  codes(first: 100, after: $after) {{ nodes {{ {_PEER_ROW} }} }} }}""",
    "search": """query Search($q: String) { codes(search: $q, first: 20) {
  totalCount nodes { code short_description betos { code description_ } } } }""",
    "traversal": f"""query Traversal($code: String) {{ codes_row(code: $code) {{
  betos {{ code description_ codes_list(first: 5) {{ totalCount nodes {{ code short_description
    {" ".join(f"type_of_service_{i} {{ {_PEER_TOS} }}" for i in range(1, 6))} }} }} }} }} }}""",
    "introspection": get_introspection_query(),
}
PEER["repeat"] = PEER["code"]


@dataclass(frozen=True)
class Shape:
    name: str
    title: str
    pool: str  # the pool its variable comes from: codes, pages, words, none, fixed
    ours: Callable[[object], dict | None]  # pool item -> ours' variables
    peer: Callable[[object], dict | None]  # pool item -> the peer's variables
    floor: Callable[[object], str]  # pool item -> the floor's path


def _code(item: object) -> dict:
    return {"code": item}


SHAPES = {
    s.name: s
    for s in (
        Shape("code", "(a) one code, decoded", "codes", _code, _code,
              lambda c: f"/code?code={quote(str(c))}"),
        Shape("page", "(b) 100 codes, decoded", "pages",
              lambda p: {"after": p[1]}, lambda p: {"after": p[0]},
              lambda p: f"/page?after={quote(p[0])}"),
        Shape("search", "(c) search, 20 results", "words",
              lambda w: {"q": w}, lambda w: {"q": w}, lambda w: f"/search?q={quote(str(w))}"),
        Shape("traversal", "(d) BETOS -> codes -> types", "codes", _code, _code,
              lambda c: f"/traversal?code={quote(str(c))}"),
        Shape("introspection", "(e) introspection", "none",
              lambda _: None, lambda _: None, lambda _: "/introspection"),
        Shape("repeat", "(f) one code, repeated", "fixed", _code, _code,
              lambda c: f"/code?code={quote(str(c))}"),
    )
}  # fmt: skip


def graphql_body(query: str, variables: dict | None) -> dict:
    return {"query": query, "variables": variables}


def _lua_string(text: str) -> str:
    assert "]==]" not in text
    return f"[==[{text}]==]"


_LUA = """
local items = {%(items)s}
local prefix, suffix = %(prefix)s, %(suffix)s
local method, path = "%(method)s", %(path)s
local headers = {%(headers)s}
local threads, count = {}, 0

setup = function(thread)
  count = count + 1
  thread:set("id", count)
  table.insert(threads, thread)
end

init = function(args)
  math.randomseed(os.time() * 7919 + id)
  bad = 0
end

request = function()
  local item = items[math.random(#items)]
  if method == "GET" then
    return wrk.format("GET", item, headers)
  end
  return wrk.format("POST", path, headers, prefix .. item .. suffix)
end

response = function(status, headers, body)
  if status < 200 or status > 299 or string.find(body, '"errors"', 1, true) then
    bad = bad + 1
  end
end

done = function(summary, latency, requests)
  local bad = 0
  for _, thread in ipairs(threads) do bad = bad + thread:get("bad") end
  local e = summary.errors
  io.write(string.format("RESULT %%d %%d %%d %%d %%d %%d\\n", summary.requests,
    summary.duration, bad, e.connect + e.read + e.write + e.timeout,
    latency:percentile(50), latency:percentile(99)))
end
"""


def lua_graphql(path: str, query: str, variables: list[dict | None]) -> str:
    """A wrk script POSTing `query` with one of `variables`, chosen at random per request."""
    prefix = '{"query":' + json.dumps(query) + ',"variables":'
    return _LUA % {
        "items": ",\n".join(_lua_string(json.dumps(v)) for v in variables),
        "prefix": _lua_string(prefix),
        "suffix": _lua_string("}"),
        "method": "POST",
        "path": _lua_string(path),
        "headers": '["Content-Type"] = "application/json"',
    }


def lua_get(paths: list[str]) -> str:
    """A wrk script GETting one of `paths`, chosen at random per request."""
    return _LUA % {
        "items": ",\n".join(_lua_string(p) for p in paths),
        "prefix": '""',
        "suffix": '""',
        "method": "GET",
        "path": '"/"',
        "headers": "",
    }
