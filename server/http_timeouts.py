"""Header and body read timeouts, and a header size cap, for `hcpcs serve`: uvicorn has
only a keep-alive timeout.

Without them a client that sends half a request line, headers without their end, or a
body that stops holds its connection open for ever (300 such connections were all still
open after 8 s). ASGI middleware cannot help: the app hears of a request only once its
headers are complete. So the timeouts live in a subclass of uvicorn's httptools protocol,
passed to uvicorn as `http=`. It leans on uvicorn internals (parser callbacks, `cycle`,
`transport`, `loop`); they all stay in this module, and `protocol()` drives one connection
through them by hand at start-up: if uvicorn has changed, it logs a warning and returns
the stock protocol, so the server still runs, without these guards.

- header timeout: from the connection opening (or, on a kept-alive connection, from a
  request's first byte) to the end of its headers;
- body timeout: from the end of the headers to the end of the body.

Either running out answers 408 (unless a response is under way) and closes the connection.
The same protocol caps a request's line and headers at `MAX_HEADER_BYTES` (431 and close):
httptools has no cap, so within the header timeout a client could otherwise stream
gigabytes of header lines into the worker's memory (2 GB in 10 s on this machine).
"""

from __future__ import annotations

import asyncio
import functools
import logging
from typing import Any

import orjson
import uvicorn
from uvicorn.server import ServerState

from hcpcs_graph.server.settings import Settings

try:
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as _Stock

    _HTTPTOOLS = True
except ImportError:  # no httptools: uvicorn runs h11, which this does not cover
    _Stock = asyncio.Protocol  # type: ignore[assignment,misc]  # a stand-in, never used: _probe() says so
    _HTTPTOOLS = False

log = logging.getLogger("hcpcs.http")

HEADERS, BODY = "headers", "body"
MAX_HEADER_BYTES = 64 * 1024  # request line and headers (h11's default is 16 KiB, nginx's 32)


@functools.cache
def _timeouts() -> dict[str, float]:
    """Read once per process; workers find the settings in the environment `hcpcs serve`
    set up for them."""
    settings = Settings.from_env()
    return {HEADERS: settings.header_timeout, BODY: settings.body_timeout}


def _refusal(status: str, code: str, message: str) -> bytes:
    """A whole response, as the app's refusals look (server/responses.py), then close."""
    body = orjson.dumps({"errors": [{"message": message, "extensions": {"code": code}}]})
    head = (
        f"HTTP/1.1 {status}\r\ncontent-type: application/json\r\n"
        f"content-length: {len(body)}\r\nconnection: close\r\n\r\n"
    )
    return head.encode() + body


class TimedHttpToolsProtocol(_Stock):
    _waiting_for: str | None = None
    _timer: asyncio.TimerHandle | None = None
    _header_bytes = 0

    def data_received(self, data: bytes) -> None:
        super().data_received(data)
        if self._waiting_for == HEADERS:  # every byte of it was line or headers
            self._header_bytes += len(data)
            if self._header_bytes > MAX_HEADER_BYTES and not self.transport.is_closing():
                self._expect(None)
                self._close(
                    "431 Request Header Fields Too Large" if self._between_responses() else None,
                    "REQUEST_HEADER_FIELDS_TOO_LARGE",
                    f"the request line and headers are larger than {MAX_HEADER_BYTES:,} bytes",
                )

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]  # as uvicorn's own: it needs a Transport
        super().connection_made(transport)
        self._expect(HEADERS)

    def on_message_begin(self) -> None:
        super().on_message_begin()
        if self._waiting_for != HEADERS:  # a new connection's clock already runs
            self._expect(HEADERS)

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self._expect(BODY)

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._expect(None)

    def handle_websocket_upgrade(self) -> None:
        self._expect(None)
        super().handle_websocket_upgrade()

    def connection_lost(self, exc: Exception | None) -> None:
        self._expect(None)
        super().connection_lost(exc)

    def _expect(self, what: str | None) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        if what == HEADERS:
            self._header_bytes = 0
        self._waiting_for = what
        if what and (seconds := _timeouts()[what]):
            self._timer = self.loop.call_later(seconds, self._timed_out, what, seconds)

    def _timed_out(self, what: str, seconds: float) -> None:
        self._timer = None
        if self.transport.is_closing():
            return
        # past the headers, the app may have answered already without reading the body
        answer = self._between_responses() if what == HEADERS else not self.cycle.response_started
        message = f"the request's {what} did not arrive within {seconds:g} s"
        self._close("408 Request Timeout" if answer else None, "REQUEST_TIMEOUT", message)

    def _between_responses(self) -> bool:
        """No response is being written: a pipelined request may wait behind one, and a
        refusal must not land in the middle of it."""
        return self.cycle is None or self.cycle.response_complete

    def _close(self, status: str | None, code: str, message: str) -> None:
        if status:
            self.transport.write(_refusal(status, code, message))
        self.transport.close()
        client = "{}:{}".format(*self.client) if self.client else "a client"
        log.info("closed the connection of %s: %s", client, message)


class _ProbeTransport(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.written = b""
        self.closed = False

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return {"peername": ("127.0.0.1", 1), "sockname": ("127.0.0.1", 2)}.get(name, default)

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.written += bytes(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed

    def pause_reading(self) -> None:
        pass

    def resume_reading(self) -> None:
        pass


async def _no_app(scope: Any, receive: Any, send: Any) -> None:
    pass


def _probe() -> str | None:
    """Two connections driven by hand: half a request's headers, then its header timer
    fired (408), and headers past the cap (431). None when both are answered and closed;
    else what went wrong."""
    if not _HTTPTOOLS:
        return "httptools is not installed"
    loop = asyncio.new_event_loop()
    log.disabled = True  # the probe's own closed connection is no news
    try:
        config = uvicorn.Config(
            app=_no_app, http=TimedHttpToolsProtocol, ws="none", log_config=None
        )
        config.load()
        half = b"GET / HTTP/1.1\r\nHost: probe\r\nX-Half: "
        for sent, expected in ((half, b"408"), (half + b"a" * MAX_HEADER_BYTES, b"431")):
            connection = TimedHttpToolsProtocol(config, ServerState(), {}, _loop=loop)
            transport = _ProbeTransport()
            connection.connection_made(transport)
            connection.data_received(sent)
            if expected == b"408":
                if connection._waiting_for != HEADERS:
                    return "the connection is not waiting for headers"
                connection._timed_out(HEADERS, 1)
            connection.connection_lost(None)
            if not (transport.written.startswith(b"HTTP/1.1 " + expected) and transport.closed):
                return f"a connection to refuse with {expected.decode()} got {transport.written!r}"
        return None
    except Exception as e:  # whatever uvicorn changed, the server must still start
        return f"{type(e).__name__}: {e}"
    finally:
        log.disabled = False
        loop.close()


def protocol() -> type[asyncio.Protocol] | str:
    """The protocol to hand uvicorn as `http=`: ours when it works with this uvicorn."""
    problem = _probe()
    if problem is None:
        return TimedHttpToolsProtocol
    log.warning(
        "header and body timeouts and the header size cap are off: uvicorn %s does not fit "
        "server/http_timeouts.py (%s)",
        uvicorn.__version__,
        problem,
    )
    return "auto"
