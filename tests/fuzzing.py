"""Arbitrary GraphQL queries generated from our own schema (hypothesis-graphql), and the
check every response must pass. Shared by tests/server/test_fuzz.py and bench/fuzz.py.

Purely random arguments mostly name releases and codes that do not exist, which tests the
error paths; so half of the valid queries get realistic values for the arguments that
pick data (release, code, first, ...), which tests the paths that return data.
"""

from __future__ import annotations

import random

import graphql
from hypothesis import strategies as st
from hypothesis_graphql import Mode, queries

from hcpcs_graph.schema import build_schema

schema = build_schema()  # the package builds none at import

_SCALARS = {
    "Date": st.one_of(
        st.dates().map(lambda d: graphql.StringValueNode(value=d.isoformat())),
        st.text(max_size=12).map(lambda t: graphql.StringValueNode(value=t)),
    ),
    "DateTime": st.datetimes().map(lambda d: graphql.StringValueNode(value=d.isoformat())),
}
RELEASES = ["2016-01", "2017-01", "2018-01", "2019-01", "2020-01", "2025-10", "2026-01"]
CODES = ["G6002", "E0100", "A1", "J7328", "K0001", "I4B", "13", "C", "110", "N", "YY", "6"]


def _realistic(document: graphql.DocumentNode, rnd: random.Random) -> graphql.DocumentNode:
    choices = {
        "release": lambda: graphql.StringValueNode(value=rnd.choice(RELEASES)),
        "name": lambda: graphql.StringValueNode(value=rnd.choice(RELEASES)),
        "code": lambda: graphql.StringValueNode(value=rnd.choice(CODES)),
        "first": lambda: graphql.IntValueNode(value=str(rnd.randint(1, 30))),
        "number": lambda: graphql.IntValueNode(value=str(rnd.randint(1, 40))),
        "after": lambda: graphql.NullValueNode(),
    }

    class Visitor(graphql.Visitor):
        def enter_argument(self, node: graphql.ArgumentNode, *_: object) -> object:
            make = choices.get(node.name.value)
            if make is not None and rnd.random() < 0.9:
                return graphql.ArgumentNode(name=node.name, value=make())
            return None

    return graphql.visit(document, Visitor())


def query_strategy() -> st.SearchStrategy[str]:
    """Valid queries (half with realistic arguments), and queries with one schema violation."""
    sdl = schema.as_str()
    valid = queries(sdl, custom_scalars=_SCALARS, mode=Mode.POSITIVE)
    documents = queries(sdl, custom_scalars=_SCALARS, mode=Mode.POSITIVE, print_ast=lambda d: d)
    realistic = st.tuples(documents, st.randoms(use_true_random=False)).map(
        lambda pair: graphql.print_ast(_realistic(*pair))
    )
    return st.one_of(realistic, valid, queries(sdl, custom_scalars=_SCALARS, mode=Mode.NEGATIVE))


def check(status: int, body: dict) -> list[str]:
    """Raise if the response shows a server fault; return labels for tallies: "data" when
    some field came back non-null, and the code of each error."""
    assert status != 500, body
    assert status in (200, 400, 413), (status, body)
    errors = body.get("errors") or []
    for error in errors:
        code = (error.get("extensions") or {}).get("code")
        assert code, error
        assert code != "INTERNAL_SERVER_ERROR", error
    if status == 200 and "errors" not in body:
        assert "data" in body
    data = body.get("data") or {}
    labels = ["data"] if any(v is not None for v in data.values()) else []
    return labels + [e["extensions"]["code"] for e in errors]
