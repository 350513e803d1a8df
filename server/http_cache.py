"""HTTP caching of GET answers: an ETag from the loaded releases and the request, and
Cache-Control, so a CDN or reverse proxy can keep answers until a release is loaded."""

from __future__ import annotations

import hashlib
from importlib import metadata

from hcpcs_graph.db.catalog import Catalog

try:
    _VERSION = metadata.version("hcpcs-graph")
except metadata.PackageNotFoundError:  # running from a checkout without install
    _VERSION = "dev"


def releases_digest(catalog: Catalog) -> str:
    """What every answer depends on besides the request: the releases' files (HCPCS and
    payment schedules) and our code."""
    files = [(r.id, r.sha256) for r in catalog.releases]
    files += [(p.id, p.sha256) for p in catalog.payments]
    text = "|".join(f"{name}:{sha256}" for name, sha256 in files)
    return hashlib.sha256(f"{_VERSION}|{text}".encode()).hexdigest()


def etag(digest: str, request_key: tuple[object, ...]) -> str:
    return '"' + hashlib.sha256(repr((digest, request_key)).encode()).hexdigest()[:40] + '"'


def matches(if_none_match: str | None, tag: str) -> bool:
    if not if_none_match:
        return False
    # `*` ("any representation") is not honoured: a tag is made before the query runs,
    # and a query that fails has no representation to keep
    candidates = {t.strip().removeprefix("W/") for t in if_none_match.split(",")}
    return tag in candidates
