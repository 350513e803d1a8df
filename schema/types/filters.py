"""Arguments shared by every list of codes: the filter input, and full-text search text."""

from __future__ import annotations

import re
import unicodedata

import strawberry

from hcpcs_graph.db.queries import CodeFilter
from hcpcs_graph.schema.errors import UserInputError
from hcpcs_graph.schema.scalars import Date

MAX_CODES = 500
MAX_SEARCH_LENGTH = 200
MAX_SEARCH_WORDS = 16


@strawberry.input(description="Conditions on codes; all given conditions must hold (AND).")
class HcpcsCodeFilter:
    codes: list[str] | None = strawberry.field(
        default=strawberry.UNSET,
        description=f"Only these codes (case ignored); at most {MAX_CODES}, else BAD_USER_INPUT.",
    )
    code_prefix: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes starting with this text (case ignored)."
    )
    betos: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes with this BETOS code, e.g. D1E."
    )
    coverage: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes with this coverage code, e.g. C."
    )
    pricing_indicator: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes with this among their pricing indicators."
    )
    type_of_service: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes with this among their types of service."
    )
    action_code: str | None = strawberry.field(
        default=strawberry.UNSET, description="Codes with this action code, e.g. A (added)."
    )
    active_on: Date | None = strawberry.field(
        default=strawberry.UNSET,
        description="Added on or before this date and not terminated before it.",
    )
    terminated: bool | None = strawberry.field(
        default=strawberry.UNSET, description="Whether the code has a termination date."
    )


def _value(value: object) -> str | None:
    if value is strawberry.UNSET or value is None:
        return None
    return str(value).strip().upper()


def code_filter(given: HcpcsCodeFilter | None) -> CodeFilter:
    if given is None:
        return CodeFilter()
    codes = None
    if given.codes is not strawberry.UNSET and given.codes is not None:
        if len(given.codes) > MAX_CODES:
            raise UserInputError(
                f"filter.codes takes at most {MAX_CODES} codes, got {len(given.codes)}",
                argument="filter",
            )
        codes = tuple(sorted({c.strip().upper() for c in given.codes}))
    active_on = given.active_on if given.active_on is not strawberry.UNSET else None
    terminated = given.terminated if given.terminated is not strawberry.UNSET else None
    return CodeFilter(
        codes=codes,
        code_prefix=_value(given.code_prefix) or None,
        betos=_value(given.betos),
        coverage=_value(given.coverage),
        pricing_indicator=_value(given.pricing_indicator),
        type_of_service=_value(given.type_of_service),
        action_code=_value(given.action_code),
        active_on=active_on,
        terminated=terminated,
    )


_WORD = re.compile(r"\w+")


def search_query(text: str) -> tuple[str, str]:
    """User text -> (FTS5 MATCH expression, the text as an exact code).

    Only the words of the text reach FTS5, each quoted and prefix-matched, so FTS5 syntax
    in user text (quotes, *, NEAR, -, :, parentheses) is plain text, never an operator.
    """
    if "\x00" in text:
        raise UserInputError("search must not contain NUL characters", argument="search")
    if len(text) > MAX_SEARCH_LENGTH:
        raise UserInputError(
            f"search is {len(text)} characters; at most {MAX_SEARCH_LENGTH}", argument="search"
        )
    words = _WORD.findall(unicodedata.normalize("NFKC", text).lower())
    if not words:
        raise UserInputError("search needs at least one letter or digit", argument="search")
    if len(words) > MAX_SEARCH_WORDS:
        raise UserInputError(
            f"search has {len(words)} words; at most {MAX_SEARCH_WORDS}", argument="search"
        )
    return " ".join(f'"{w}"*' for w in words), text.strip().upper()
