"""Compressed answers (server/compression.py): the encoding asked for, the same JSON, one
entity tag per encoding, and small answers left alone."""

from __future__ import annotations

import gzip
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
import zstandard

from hcpcs_graph.server.compression import choose
from hcpcs_graph.server.pages import STATIC
from tests.conftest import make_client
from tests.servers import serving

ROW = "code longDescription shortDescription betos { code description } action { code }"


PAGE = f'{{ hcpcsCodes(release: "2025-10", first: 100) {{ nodes {{ {ROW} }} }} }}'


DECODE = {
    "gzip": gzip.decompress,
    # a streamed frame does not say its size up front: decoded as a stream
    "zstd": lambda raw: zstandard.ZstdDecompressor().decompressobj().decompress(raw),
}


@pytest.fixture
async def unlimited(all_releases_db: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with make_client(all_releases_db) as c:
        yield c


async def _raw(client: httpx.AsyncClient, method: str, url: str, **kwargs: Any) -> httpx.Response:
    """The answer with its body as sent (httpx would decode it)."""
    request = client.build_request(method, url, **kwargs)
    response = await client.send(request, stream=True)
    response.raw_body = b"".join([chunk async for chunk in response.aiter_raw()])  # type: ignore[attr-defined]
    await response.aclose()
    return response


def _decoded(response: httpx.Response) -> bytes:
    encoding = response.headers.get("content-encoding")
    raw = response.raw_body  # type: ignore[attr-defined]
    return DECODE[encoding](raw) if encoding else raw


@pytest.mark.parametrize(
    ("accept", "chosen"),
    [
        ("gzip, deflate, br, zstd", "zstd"),
        ("gzip, deflate", "gzip"),
        ("zstd;q=0, *", "gzip"),
        ("gzip;q=0.5, zstd;q=0.4", "gzip"),
        ("*", "zstd"),
        ("br, identity", None),
        ("gzip;q=0, zstd;q=0", None),
        ("gzip;q=nonsense", None),
        ("", None),
    ],
)
def test_the_encoding_follows_accept_encoding(accept: str, chosen: str | None) -> None:
    assert choose(accept) == chosen


async def test_compressed_and_plain_answers_are_the_same_json(unlimited: httpx.AsyncClient) -> None:
    bodies = {}
    for encoding in ["identity", "gzip", "zstd"]:
        for _ in range(2):  # the second from the response cache and the compressed one kept
            response = await _raw(
                unlimited, "POST", "/graphql", json={"query": PAGE},
                headers={"accept-encoding": encoding},
            )  # fmt: skip
            assert response.status_code == 200
            assert response.headers.get("content-encoding") == (
                None if encoding == "identity" else encoding
            )
            assert "Accept-Encoding" in response.headers["vary"]
            assert int(response.headers["content-length"]) == len(response.raw_body)  # type: ignore[attr-defined]
            bodies[encoding, _] = response
    plain = bodies["identity", 0].raw_body  # type: ignore[attr-defined]
    assert len(plain) > 20_000 and len(orjson.loads(plain)["data"]["hcpcsCodes"]["nodes"]) == 100
    for (encoding, _), response in bodies.items():
        assert _decoded(response) == plain
        if encoding != "identity":
            assert len(response.raw_body) < len(plain) / 5  # type: ignore[attr-defined]


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
async def test_each_encoding_has_its_etag_and_is_revalidated(
    unlimited: httpx.AsyncClient, encoding: str
) -> None:
    params = {"query": PAGE}
    plain = await unlimited.get("/graphql", params=params, headers={"accept-encoding": "identity"})
    packed = await unlimited.get("/graphql", params=params, headers={"accept-encoding": encoding})
    assert packed.headers["content-encoding"] == encoding and packed.json() == plain.json()
    tag, packed_tag = plain.headers["etag"], packed.headers["etag"]
    assert packed_tag == tag[:-1] + f'-{encoding}"'
    for sent, accept in [(tag, "identity"), (packed_tag, encoding), (f"W/{packed_tag}", encoding)]:
        again = await unlimited.get(
            "/graphql", params=params, headers={"accept-encoding": accept, "if-none-match": sent}
        )
        assert again.status_code == 304 and again.content == b""
        assert again.headers["etag"] == sent.removeprefix("W/")
        assert "Accept-Encoding" in again.headers["vary"]
    # a tag of another encoding names another representation: the whole answer
    other = "gzip" if encoding == "zstd" else "zstd"
    full = await unlimited.get(
        "/graphql", params=params, headers={"accept-encoding": other, "if-none-match": packed_tag}
    )
    assert full.status_code == 200 and full.headers["etag"] == tag[:-1] + f'-{other}"'


async def test_small_answers_are_not_compressed(unlimited: httpx.AsyncClient) -> None:
    response = await _raw(
        unlimited, "POST", "/graphql", json={"query": "{ __typename }"},
        headers={"accept-encoding": "gzip, zstd"},
    )  # fmt: skip
    assert "content-encoding" not in response.headers
    assert orjson.loads(response.raw_body)["data"] == {"__typename": "Query"}  # type: ignore[attr-defined]
    assert "Accept-Encoding" in response.headers["vary"]


async def test_the_setting_turns_compression_off(all_releases_db: Path) -> None:
    async with make_client(all_releases_db, compression=False) as client:
        for url in ["/graphql?query=" + PAGE, "/", "/static/lookup.js"]:
            response = await _raw(client, "GET", url, headers={"accept-encoding": "gzip, zstd"})
            assert response.status_code == 200
            assert "content-encoding" not in response.headers
            assert "vary" not in response.headers or "Accept" not in response.headers["vary"]


@pytest.mark.parametrize("encoding", ["gzip", "zstd"])
async def test_the_pages_and_their_files_are_compressed(
    unlimited: httpx.AsyncClient, encoding: str
) -> None:
    home = await _raw(unlimited, "GET", "/", headers={"accept-encoding": encoding})
    assert home.headers["content-encoding"] == encoding
    assert b"<html" in _decoded(home).lower()
    # the vendored GraphiQL is sent in chunks: compressed as a stream
    for name in ["lookup.js", "vendor/graphiql-3.9.0/graphiql.min.js"]:
        file = await _raw(
            unlimited, "GET", f"/static/{name}", headers={"accept-encoding": encoding}
        )
        assert file.status_code == 200 and file.headers["content-encoding"] == encoding
        assert _decoded(file) == (STATIC / name).read_bytes()
        tag = file.headers["etag"]
        assert tag.endswith(f'-{encoding}"')
        again = await unlimited.get(
            f"/static/{name}", headers={"accept-encoding": encoding, "if-none-match": tag}
        )
        assert again.status_code == 304 and again.headers["etag"] == tag
    icon = await _raw(
        unlimited, "GET", "/static/favicon.svg", headers={"accept-encoding": encoding}
    )
    assert "content-encoding" not in icon.headers  # 249 bytes


def test_a_real_server_sends_compressed_streams_and_answers(
    all_releases_db: Path, tmp_path: Path
) -> None:
    """Through uvicorn: a file sent in chunks goes out as one compressed stream (chunked,
    no Content-Length), an answer whole with its compressed length."""
    name = "vendor/graphiql-3.9.0/graphiql.min.js"
    with serving(all_releases_db, tmp_path) as origin:
        for encoding in ["gzip", "zstd"]:
            headers = {"accept-encoding": encoding}
            with httpx.stream("GET", f"{origin}/static/{name}", headers=headers) as file:
                raw = b"".join(file.iter_raw())
            assert file.headers["content-encoding"] == encoding
            assert "content-length" not in file.headers
            assert DECODE[encoding](raw) == (STATIC / name).read_bytes()
            assert len(raw) < (STATIC / name).stat().st_size / 2
            body = {"query": PAGE}
            with httpx.stream("POST", f"{origin}/graphql", json=body, headers=headers) as page:
                raw = b"".join(page.iter_raw())
            assert int(page.headers["content-length"]) == len(raw)
            assert len(orjson.loads(DECODE[encoding](raw))["data"]["hcpcsCodes"]["nodes"]) == 100
