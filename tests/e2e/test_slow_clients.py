"""Clients that never finish sending a request: a real server closes them within its
header and body timeouts, and the protocol that times them checks itself."""

from __future__ import annotations

import socket
import time
from pathlib import Path

import httpx
import pytest

from hcpcs_graph.server import http_timeouts
from tests.servers import serving


def test_the_protocol_checks_itself_and_falls_back_to_uvicorns(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert http_timeouts.protocol() is http_timeouts.TimedHttpToolsProtocol
    # a uvicorn that keeps the transport under another name
    from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

    def renamed(self: HttpToolsProtocol, transport: object) -> None:
        self._transport = transport

    monkeypatch.setattr(HttpToolsProtocol, "connection_made", renamed)
    assert http_timeouts.protocol() == "auto"
    assert "header and body timeouts and the header size cap are off: uvicorn" in caplog.text
    assert "AttributeError" in caplog.text


TIMEOUTS = {"HCPCS_HEADER_TIMEOUT": "1", "HCPCS_BODY_TIMEOUT": "1"}


def _closed_within(sockets: list[socket.socket], seconds: float) -> list[bytes]:
    """What each socket received before the server closed it; fails past `seconds`."""
    deadline = time.monotonic() + seconds
    received = []
    for s in sockets:
        data = b""
        while True:
            left = deadline - time.monotonic()
            assert left > 0, f"a connection still open after {seconds} s: {data!r}"
            s.settimeout(left)
            try:
                chunk = s.recv(4096)
            except TimeoutError:
                continue
            except ConnectionResetError:
                chunk = b""
            if not chunk:
                break
            data += chunk
        received.append(data)
        s.close()
    return received


def _connect(origin: str) -> socket.socket:
    port = int(origin.rsplit(":", 1)[1])
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def test_half_sent_headers_are_closed_within_the_header_timeout(
    all_releases_db: Path, tmp_path: Path
) -> None:
    with serving(all_releases_db, tmp_path, env=TIMEOUTS) as origin:
        started = time.monotonic()
        sockets = [_connect(origin) for _ in range(50)]
        for s in sockets:
            s.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        received = _closed_within(sockets, 4.0)
        assert time.monotonic() - started >= 0.9  # not closed before the timeout
        assert all(r.startswith(b"HTTP/1.1 408 ") for r in received), received[0]
        assert b'"code":"REQUEST_TIMEOUT"' in received[0]
        # a connection that sends nothing at all is closed the same way
        silent = _connect(origin)
        _closed_within([silent], 4.0)
        # headers sent fast, without end, are refused past 64 KiB, not kept until the timeout
        big = _connect(origin)
        big.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + b"a" * 70_000)
        started = time.monotonic()
        [refused] = _closed_within([big], 4.0)
        assert refused.startswith(b"HTTP/1.1 431 ") and time.monotonic() - started < 0.9
        assert b'"code":"REQUEST_HEADER_FIELDS_TOO_LARGE"' in refused
        # a slow request that completes in time is answered
        slow = _connect(origin)
        for part in (b"GET /healthz HTTP/1.1\r\n", b"Host: 127.0.0.1\r\n", b"\r\n"):
            slow.sendall(part)
            time.sleep(0.2)
        slow.sendall(b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ")
        first, *_ = _closed_within([slow], 4.0)
        # the first answer, then a 408 for the second request that stalled on the same
        # keep-alive connection
        assert first.startswith(b"HTTP/1.1 200 ") and b"HTTP/1.1 408 " in first
        assert httpx.get(f"{origin}/healthz", timeout=5).status_code == 200


def test_a_body_that_stalls_gets_408_within_the_body_timeout(
    all_releases_db: Path, tmp_path: Path
) -> None:
    with serving(all_releases_db, tmp_path, env=TIMEOUTS) as origin:
        stalled = [_connect(origin) for _ in range(10)]
        for s in stalled:
            s.sendall(
                b"POST /graphql HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b'Content-Type: application/json\r\nContent-Length: 100\r\n\r\n{"query": '
            )
        started = time.monotonic()
        received = _closed_within(stalled, 4.0)
        assert time.monotonic() - started >= 0.9
        assert all(r.startswith(b"HTTP/1.1 408 ") for r in received), received[0]
        answer = httpx.post(f"{origin}/graphql", json={"query": "{ releases { name } }"}, timeout=5)
        assert answer.status_code == 200 and answer.json()["data"]["releases"]
