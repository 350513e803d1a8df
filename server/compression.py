"""Compressed answers: zstd or gzip, as the client accepts (zstd first: as small as gzip at
level 6, ten times faster), for bodies of at least MINIMUM_BYTES; /graphql, the pages,
their files and /metrics alike.

Starlette's gzip responders do the streaming and the thresholds; this module adds zstd,
chooses by Accept-Encoding (q-values, q=0 refuses), and keeps the headers right:
- `Vary: Accept-Encoding` on every answer whose body could be compressed, 304s included;
- a compressed body is another representation, so it gets another ETag: the identity
  tag with `-zstd` or `-gzip` inside the quotes. A client revalidating with that tag, and
  accepting that encoding, is matched against the identity tag by the app and answered
  304 with the tag it sent.
Compressing a whole body the app answers again and again (the response cache hands out the
same bytes object) is done once: the result is kept, bounded in bytes, by body and
encoding.
"""

from __future__ import annotations

import zlib

import anyio.to_thread
import zstandard
from starlette.datastructures import Headers, MutableHeaders
from starlette.middleware.gzip import GZipResponder, IdentityResponder
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from hcpcs_graph.schema.bounded import BoundedCache

MINIMUM_BYTES = 1024  # below this, compression saves a few hundred bytes at best
GZIP_LEVEL = 6
ZSTD_LEVEL = 3
THREAD_BYTES = 256 * 1024  # a whole body this large is compressed in a thread
KEPT_BYTES = 16 * 2**20  # per worker: compressed answers with the bodies they came from
ENCODINGS = ("zstd", "gzip")  # the server's preference, when the client's q-values tie


def choose(accept_encoding: str) -> str | None:
    """The encoding to answer with: the client's highest q-value among ours, ties going to
    ENCODINGS' order; `*` stands for any not named; None for identity."""
    weights: dict[str, float] = {}
    for item in accept_encoding.lower().split(","):
        name, _, params = item.partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        weights[name.strip()] = q
    best, best_q = None, 0.0
    for encoding in ENCODINGS:
        q = weights.get(encoding, weights.get("*", 0.0))
        if q > best_q:
            best, best_q = encoding, q
    return best


def tagged(etag: str, encoding: str) -> str:
    """The ETag of the `encoding` representation: `"abc"` -> `"abc-gzip"` (weak stays weak)."""
    return etag[:-1] + f'-{encoding}"' if etag.endswith('"') else etag


class CompressionMiddleware:
    def __init__(self, app: ASGIApp, *, minimum_size: int = MINIMUM_BYTES) -> None:
        self.app = app
        self.minimum_size = minimum_size
        self.kept: BoundedCache[tuple[str, bytes], bytes] = BoundedCache(KEPT_BYTES)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        accepted = next((v for k, v in scope["headers"] if k == b"accept-encoding"), None)
        encoding = choose(accepted.decode("latin-1")) if accepted else None
        if encoding is None:  # most API clients: nothing to compress, only Vary to say
            await self.app(scope, receive, _varied(send))
            return
        headers = Headers(scope=scope)
        revalidated: set[str] = set()
        if encoding is not None and "if-none-match" in headers:
            scope, revalidated = _untagged(scope, headers["if-none-match"], encoding)
        responder: IdentityResponder
        if encoding == "zstd":
            responder = ZstdResponder(self.app, self.minimum_size, kept=self.kept)
        elif encoding == "gzip":
            responder = KeptGZipResponder(self.app, self.minimum_size, kept=self.kept)
        else:
            responder = IdentityResponder(self.app, self.minimum_size)

        async def send_labelled(message: Message) -> None:
            if message["type"] == "http.response.start":
                _label(message, encoding, revalidated, responder)
            await send(message)

        await responder(scope, receive, send_labelled)


def _varied(send: Send) -> Send:
    """`send`, adding `Vary: Accept-Encoding` to the answer: another client, accepting an
    encoding, would have got another representation."""

    async def varied(message: Message) -> None:
        if message["type"] == "http.response.start":
            raw = list(message.get("headers", ()))
            vary = [v for k, v in raw if k.lower() == b"vary"]
            if not any(b"accept-encoding" in v.lower() for v in vary):
                if vary:
                    MutableHeaders(raw=raw).add_vary_header("Accept-Encoding")
                else:
                    raw.append((b"vary", b"Accept-Encoding"))
                message["headers"] = raw
        await send(message)

    return varied


def _untagged(scope: Scope, if_none_match: str, encoding: str) -> tuple[Scope, set[str]]:
    """The scope with If-None-Match's `encoding` tags as the app made them; and those tags,
    to put the suffix back on a 304."""
    suffix = f'-{encoding}"'
    tags, revalidated = [], set()
    for tag in if_none_match.split(","):
        tag = tag.strip()
        if tag.endswith(suffix):
            tag = tag[: -len(suffix)] + '"'
            revalidated.add(tag.removeprefix("W/"))
        tags.append(tag)
    if not revalidated:
        return scope, revalidated
    raw = [(k, v) for k, v in scope["headers"] if k != b"if-none-match"]
    raw.append((b"if-none-match", ", ".join(tags).encode("latin-1")))
    return {**scope, "headers": raw}, revalidated


def _label(
    message: Message, encoding: str | None, revalidated: set[str], responder: IdentityResponder
) -> None:
    """Vary and the ETag of the answer as it leaves (the responder has decided by now)."""
    headers = MutableHeaders(raw=message["headers"])
    status = message["status"]
    compressible = status == 304 or not (
        responder.content_type_is_excluded or responder.partial_response
    )
    if compressible and "accept-encoding" not in headers.get("vary", "").lower():
        headers.add_vary_header("Accept-Encoding")
    etag = headers.get("etag")
    if etag is None or encoding is None:
        return
    compressed = headers.get("content-encoding") == encoding and not responder.content_encoding_set
    if compressed or (status == 304 and etag.removeprefix("W/") in revalidated):
        headers["ETag"] = tagged(etag, encoding)


class _Kept:
    """A whole body compressed once, then taken from `kept` (keyed by the body itself: the
    response cache hands out the same bytes object, whose hash Python computes once)."""

    content_encoding: str
    kept: BoundedCache[tuple[str, bytes], bytes]

    async def whole(self, body: bytes) -> bytes:
        key = (self.content_encoding, body)
        out = self.kept.get(key)
        if out is None:
            if len(body) >= THREAD_BYTES:  # ~1 ms or more: off the event loop
                out = await anyio.to_thread.run_sync(self.compress_whole, body)
            else:
                out = self.compress_whole(body)
            self.kept.put(key, out, len(body) + len(out) + 64)
        return out

    def compress_whole(self, body: bytes) -> bytes:
        raise NotImplementedError


class KeptGZipResponder(_Kept, GZipResponder):
    def __init__(
        self, app: ASGIApp, minimum_size: int, *, kept: BoundedCache[tuple[str, bytes], bytes]
    ) -> None:
        super().__init__(app, minimum_size, compresslevel=GZIP_LEVEL)
        self.kept = kept

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if not more_body and self._compressor is None:
            return await self.whole(body)
        return await super().apply_compression(body, more_body=more_body)

    def compress_whole(self, body: bytes) -> bytes:
        gzip = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        return gzip.compress(body) + gzip.flush()


class ZstdResponder(_Kept, IdentityResponder):
    content_encoding = "zstd"

    def __init__(
        self, app: ASGIApp, minimum_size: int, *, kept: BoundedCache[tuple[str, bytes], bytes]
    ) -> None:
        super().__init__(app, minimum_size)
        self.kept = kept
        self.stream: zstandard.ZstdCompressionObj | None = None

    async def apply_compression(self, body: bytes, *, more_body: bool) -> bytes:
        if not more_body and self.stream is None:
            return await self.whole(body)
        if self.stream is None:  # a compressor does one stream at a time: one each
            self.stream = zstandard.ZstdCompressor(level=ZSTD_LEVEL).compressobj()
        out = self.stream.compress(body)
        if more_body:
            return out + self.stream.flush(zstandard.COMPRESSOBJ_FLUSH_BLOCK)
        return out + self.stream.flush()

    def compress_whole(self, body: bytes) -> bytes:
        return zstandard.ZstdCompressor(level=ZSTD_LEVEL).compress(body)
