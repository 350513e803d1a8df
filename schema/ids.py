"""Opaque node ids and cursors: base64url text that names what it points at.

Node ids are stable across restarts and name the release: "HcpcsCode:2025-10:G6002".
"""

from __future__ import annotations

import base64
import binascii

from schema.errors import UserInputError


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(value: str, what: str, argument: str) -> str:
    try:
        padded = value + "=" * (-len(value) % 4)
        return base64.urlsafe_b64decode(padded.encode("ascii")).decode()
    except (binascii.Error, UnicodeError, ValueError):
        raise UserInputError(f"{value!r} is not a valid {what}", argument=argument) from None


def node_id(type_name: str, *parts: str) -> str:
    return _encode(":".join((type_name, *parts)))


def parse_node_id(value: str) -> tuple[str, list[str]]:
    type_name, *parts = _decode(value, "node id", "id").split(":")
    return type_name, parts


def cursor(kind: str, value: str) -> str:
    """kind "c" (after this code) or "o" (after this many search results)."""
    return _encode(f"{kind}:{value}")


def parse_cursor(value: str, kind: str) -> str:
    text = _decode(value, "cursor", "after")
    prefix, _, rest = text.partition(":")
    if prefix != kind or not rest or (kind == "o" and not rest.isdigit()):
        raise UserInputError(f"{value!r} is not a cursor of this connection", argument="after")
    return rest
