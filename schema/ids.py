"""Opaque node ids and cursors: base64url text that names what it points at.

A node id names the object's type, the release it was read in, and itself:
"HcpcsCode:2025-10:G6002", "BetosCode:2020-01:D1E", "ProcessingNote:2026-01:12",
"Release:2025-10"; a payment schedule release is named alone, being no HCPCS release:
"PaymentRelease:asp-2025-01". A record looked up `asOf` a date other than its release's effective
date also names that date (its status is for it): "HcpcsCode:2019-01:G6002:2019-06-01".
One id, one view: a client cache keeps one copy per id. Ids are stable across restarts.
A cursor names the list it came from and a place in it:
"2025-10|codes|<digest>|E0100", "2019-01..2020-01|diff|<digest>|40" (see `cursor`).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import re
from typing import NamedTuple

from hcpcs_graph.schema.errors import UserInputError

_BASE64URL = re.compile(r"[A-Za-z0-9_-]+")


def _encode(text: str) -> str:
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def _decode(value: str, most: int) -> str | None:
    """The text `_encode` made `value` from; None when `value` is longer than `most`
    characters, not base64url or not UTF-8."""
    if len(value) > most or not _BASE64URL.fullmatch(value):
        return None
    try:
        return base64.urlsafe_b64decode(value + "=" * (-len(value) % 4)).decode()
    except (binascii.Error, UnicodeError, ValueError):
        return None


def _shown(value: str) -> str:
    """`value` quoted for an error message, cut to its first 40 characters."""
    return repr(value) if len(value) <= 40 else f"{value[:40]!r}..."


def node_id(type_name: str, *parts: str) -> str:
    return _encode(":".join((type_name, *parts)))


MAX_NODE_ID = 200  # characters; ours are under 60


def not_a_node_id(value: str) -> UserInputError:
    return UserInputError(f"{_shown(value)} is not the id of any object", argument="id")


def parse_node_id(value: str) -> tuple[str, list[str]]:
    """An id's type name and parts; any other text (too long, not base64url, not UTF-8)
    is a UserInputError. The parts are checked by whoever looks the object up."""
    text = _decode(value, MAX_NODE_ID)
    if text is None:
        raise not_a_node_id(value)
    type_name, *parts = text.split(":")
    return type_name, parts


class ListKey(NamedTuple):
    """What a cursor is bound to: the list's release ("2025-10", or "2019-01..2020-01" for
    a diff), its kind, and a digest of the rest of its definition (search, filter, the
    parent's value), so that a cursor pages only the list it came from."""

    release: str
    kind: str  # one of KINDS
    digest: str

    def __str__(self) -> str:
        if self.kind == "diff":
            old, _, new = self.release.partition("..")
            return f"the releaseDiff from {old} to {new}"
        if self.kind == "payment-changes":
            old, _, new = self.release.partition("..")
            return f"the paymentChanges from {old} to {new}"
        return f"the {self.kind} of release {self.release}"


class Cursor(NamedTuple):
    list: ListKey
    position: str  # a code, or how many items come before the next page


KINDS = ("codes", "modifiers", "diff", "payment-changes")  # the last: schema/types/facility.py
MAX_CURSOR = 120  # characters; ours are under 70
_RELEASE = r"(?:[a-z]{2,8}-)?\d{4}-\d{2}"  # a HCPCS release, or a payment release (asc-2025-01)
_LIST = re.compile(rf"({_RELEASE}|{_RELEASE}\.\.{_RELEASE})\|({'|'.join(KINDS)})\|([0-9a-f]{{12}})")


def list_key(release: str, kind: str, definition: object) -> ListKey:
    """`definition`: whatever else tells the list from another of that release and kind; its
    repr is digested, and must be the same in every process (no ids, no hash())."""
    digest = hashlib.blake2b(repr(definition).encode(), digest_size=6).hexdigest()
    return ListKey(release, kind, digest)


def cursor(of: ListKey, position: object) -> str:
    return _encode(f"{of.release}|{of.kind}|{of.digest}|{position}")


def _not_a_cursor(value: str) -> UserInputError:
    return UserInputError(
        f"{_shown(value)} is not a valid cursor; give an endCursor or an edge's cursor",
        argument="after",
    )


def read_cursor(value: str) -> Cursor:
    """A cursor's list and place, whatever list it is given to; any other text (not
    base64url, not UTF-8, not of this form, too long) is a UserInputError."""
    text = _decode(value, MAX_CURSOR)
    if text is None:
        raise _not_a_cursor(value)
    head, bar, position = text.rpartition("|")
    found = _LIST.fullmatch(head)
    if not bar or found is None:
        raise _not_a_cursor(value)
    return Cursor(ListKey(*found.groups()), position)


def parse_cursor(value: str, of: ListKey) -> str:
    """The place a cursor names, once it is known to be one of the list `of`; its form
    is checked by parse_offset or parse_code_cursor."""
    given, position = read_cursor(value)
    if given == of:
        return position
    if given.release == of.release and given.kind == of.kind:
        raise UserInputError(
            f"this cursor is from another list of {of} (another search, filter or parent "
            "value); a cursor pages only the list it came from",
            argument="after",
        )
    raise UserInputError(
        f"this cursor is from {given}, not {of}; a cursor pages only the list it came from",
        argument="after",
    )


MAX_OFFSET = 10_000_000  # far past any list's length (a release holds under 10,000 codes)
_CODE = re.compile(r"[A-Z0-9]{1,16}")


def _bad_place(value: str, of: ListKey) -> UserInputError:
    return UserInputError(f"{value!r} is not a cursor of {of}", argument="after")


def parse_offset(value: str, of: ListKey) -> int:
    """A cursor's offset: ASCII digits as we write them, 1 to MAX_OFFSET (int() takes '²'
    and SQLite refuses integers past 2**63)."""
    position = parse_cursor(value, of)
    if not (position.isascii() and position.isdigit() and len(position) <= 8):
        raise _bad_place(value, of)
    offset = int(position)
    if not 1 <= offset <= MAX_OFFSET or str(offset) != position:
        raise _bad_place(value, of)
    return offset


def parse_code_cursor(value: str, of: ListKey) -> str:
    """A cursor's code: the last code of the page before (codes are [A-Z0-9], db/records.py)."""
    position = parse_cursor(value, of)
    if not _CODE.fullmatch(position):
        raise _bad_place(value, of)
    return position
