"""HTTP cache validators on their own: entity tags and If-None-Match."""

from __future__ import annotations

from hcpcs_graph.server.http_cache import etag, matches

QUERY = "{ releases { name } }"


def test_etags() -> None:
    tag = etag("digest", ("GET", QUERY))
    assert tag.startswith('"') and tag == etag("digest", ("GET", QUERY))
    assert tag != etag("other releases", ("GET", QUERY))
    assert matches(tag, tag) and matches(f'W/{tag}, "x"', tag)
    # `*` is not honoured: the tag is made before the query runs, and it may fail
    assert not matches(None, tag) and not matches('"x"', tag) and not matches("*", tag)
